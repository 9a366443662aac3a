package com.example.consumer;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /detect}: runs the configured {@code detector} session, injected by name,
 * on a mid-grey image of the requested size.
 */
@RestController
public class DetectController {

	private final OrtEnvironment environment;

	private final OrtSession detector;

	public DetectController(OrtEnvironment environment, @Qualifier("detector") OrtSession detector) {
		this.environment = environment;
		this.detector = detector;
	}

	@PostMapping("/detect")
	public Map<String, Object> detect(@RequestParam(defaultValue = "64") int height,
			@RequestParam(defaultValue = "64") int width) throws OrtException {
		float[] grey = new float[3 * height * width];
		Arrays.fill(grey, 0.5f);
		try (OnnxTensor image = OnnxTensor.createTensor(this.environment, FloatBuffer.wrap(grey),
				new long[] { 1, 3, height, width });
				OrtSession.Result result = this.detector.run(Map.of("image", image))) {
			OnnxTensor probability = (OnnxTensor) result.get("probability").orElseThrow();
			FloatBuffer values = probability.getFloatBuffer();
			double sum = 0;
			for (int i = 0; i < values.limit(); i++) {
				sum += values.get(i);
			}
			return Map.of("shape", probability.getInfo().getShape(), "mean", sum / values.limit());
		}
	}

}
