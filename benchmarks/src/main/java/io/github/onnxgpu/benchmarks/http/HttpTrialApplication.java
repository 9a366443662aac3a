package io.github.onnxgpu.benchmarks.http;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.github.onnxgpu.boot.model.OnnxInference;

/**
 * The application of scenario 6, started in a fresh JVM per trial: a Spring MVC endpoint
 * that does what a detection service does per request (decode a PNG, normalise it into a
 * channels-first tensor, run the detector through {@link OnnxInference}, summarise the
 * probability map into JSON), so that the first request pays for the whole request path
 * and not only for the model.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(HttpTrialApplication.DetectController.class)
public class HttpTrialApplication {

	/**
	 * Start the application; the arguments are Spring Boot's ({@code --key=value}).
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(HttpTrialApplication.class, args);
	}

	/**
	 * {@code POST /detect} with a PNG body.
	 */
	@RestController
	static class DetectController {

		private static final float[] MEAN = { 0.485f, 0.456f, 0.406f };

		private static final float[] STD = { 0.229f, 0.224f, 0.225f };

		private final OnnxInference inference;

		private final OrtEnvironment environment;

		DetectController(OnnxInference inference, OrtEnvironment environment) {
			this.inference = inference;
			this.environment = environment;
		}

		@PostMapping(path = "/detect", consumes = "image/png")
		Map<String, Object> detect(@RequestBody byte[] png) throws IOException, OrtException {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
			if (image == null) {
				throw new IllegalArgumentException("not a PNG image");
			}
			int height = image.getHeight();
			int width = image.getWidth();
			int plane = height * width;
			FloatBuffer pixels = ByteBuffer.allocateDirect(3 * plane * Float.BYTES)
				.order(ByteOrder.nativeOrder())
				.asFloatBuffer();
			for (int y = 0; y < height; y++) {
				for (int x = 0; x < width; x++) {
					int rgb = image.getRGB(x, y);
					int offset = y * width + x;
					pixels.put(offset, normalise((rgb >> 16) & 0xFF, 0));
					pixels.put(plane + offset, normalise((rgb >> 8) & 0xFF, 1));
					pixels.put(2 * plane + offset, normalise(rgb & 0xFF, 2));
				}
			}
			try (OnnxTensor input = OnnxTensor.createTensor(this.environment, pixels,
					new long[] { 1, 3, height, width });
					Result result = this.inference.run("detector", Map.of("image", input))) {
				FloatBuffer probability = ((OnnxTensor) result.get(0)).getFloatBuffer();
				float max = 0;
				int above = 0;
				while (probability.hasRemaining()) {
					float value = probability.get();
					max = Math.max(max, value);
					above += (value > 0.5f) ? 1 : 0;
				}
				Map<String, Object> summary = new LinkedHashMap<>();
				summary.put("height", height);
				summary.put("width", width);
				summary.put("maxProbability", max);
				summary.put("pixelsAboveHalf", above);
				return summary;
			}
		}

		private static float normalise(int value, int channel) {
			return (value / 255f - MEAN[channel]) / STD[channel];
		}

	}

}
