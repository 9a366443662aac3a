package io.github.onnxgpu.sample.predict;

import java.io.IOException;
import java.io.InputStream;

import ai.onnxruntime.OrtException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /predict}: runs the detector on a PNG or JPEG image, or on a tensor sent as
 * JSON, and answers a summary of its output with the server-side inference time. Bodies
 * are read with a limit before anything is decoded.
 */
@RestController
public class PredictController {

	private final Predictor predictor;

	private final PredictProperties properties;

	private final JsonMapper json;

	public PredictController(Predictor predictor, PredictProperties properties, JsonMapper json) {
		this.predictor = predictor;
		this.properties = properties;
		this.json = json;
	}

	@PostMapping(path = "/predict", consumes = { MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE })
	public Prediction predictImage(InputStream body, @RequestParam(name = "fit", required = false) String fit)
			throws IOException, OrtException {
		Fit parsedFit = Fit.parse(fit);
		return this.predictor.predictImage(BoundedBody.read(body, this.properties.getMaxBodySize()), parsedFit);
	}

	@PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE)
	public Prediction predictTensor(InputStream body) throws IOException, OrtException {
		byte[] bytes = BoundedBody.read(body, this.properties.getMaxBodySize());
		TensorRequest request;
		try {
			request = this.json.readValue(bytes, TensorRequest.class);
		}
		catch (JacksonException ex) {
			throw PredictionRejectedException.badRequest(
					"The body is not a JSON tensor {\"dims\": [...], \"data\": [...]}: " + ex.getOriginalMessage());
		}
		return this.predictor.predictTensor(request);
	}

}
