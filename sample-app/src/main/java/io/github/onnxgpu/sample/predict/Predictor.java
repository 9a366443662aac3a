package io.github.onnxgpu.sample.predict;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import org.springframework.stereotype.Service;

import io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties;
import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.model.BoundTensor;
import io.github.onnxgpu.boot.model.OnnxBinding;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModel;
import io.github.onnxgpu.boot.model.OnnxModelRegistry;
import io.github.onnxgpu.sample.predict.Prediction.ImageSummary;
import io.github.onnxgpu.sample.predict.Prediction.InputSummary;
import io.github.onnxgpu.sample.predict.Prediction.OutputSummary;

/**
 * Runs the configured model on an image or a tensor through {@link OnnxInference}, so
 * that every run is timed as {@code onnx.inference}, and summarises the output. Runs go
 * through an {@link OnnxBinding}, which reuses its input and output buffers, unless the
 * model batches ({@code onnx.models.<name>.batching.enabled}): a binding's runs are never
 * batched, so those go through {@link OnnxInference#run}, queued with other requests'
 * runs, and may be refused with an
 * {@link io.github.onnxgpu.boot.model.OnnxModelBusyException} (answered 503).
 */
@Service
public class Predictor {

	private final OnnxInference inference;

	private final OnnxModelRegistry registry;

	private final PredictProperties properties;

	private final OnnxProperties onnxProperties;

	public Predictor(OnnxInference inference, OnnxModelRegistry registry, PredictProperties properties,
			OnnxProperties onnxProperties) {
		this.inference = inference;
		this.registry = registry;
		this.properties = properties;
		this.onnxProperties = onnxProperties;
	}

	/**
	 * Run the model on an uploaded image.
	 * @param bytes a PNG or JPEG file
	 * @param fit how to resize it
	 * @return the prediction
	 * @throws OrtException when ONNX Runtime fails
	 */
	public Prediction predictImage(byte[] bytes, Fit fit) throws OrtException {
		DecodedImage image = DecodedImage.decode(bytes, this.properties.getMaxImageSide());
		ModelInput input = ModelInput.of(model());
		InferenceSize size = (fit == Fit.WARMED && !input.warmedSizes().isEmpty())
				? InferenceSize.closestWarmed(image.height(), image.width(), input.warmedSizes())
				: InferenceSize.nativeSize(image.height(), image.width(), this.properties.getSideMultiple(),
						this.properties.getMaxInferenceSide());
		long[] dims = { 1, input.channels(), size.height(), size.width() };
		input.checkFits(dims, this.properties);
		float[] pixels = ImageTensor.pixels(image.image(), size, input.channels());
		ImageSummary source = new ImageSummary(image.format(), image.width(), image.height(), fit.toString());
		return run(input, dims, pixels, source);
	}

	/**
	 * Run the model on a tensor.
	 * @param request the tensor
	 * @return the prediction
	 * @throws OrtException when ONNX Runtime fails
	 */
	public Prediction predictTensor(TensorRequest request) throws OrtException {
		if (request == null || request.dims() == null || request.data() == null) {
			throw PredictionRejectedException
				.badRequest("Send both 'dims' and 'data', such as {\"dims\": [1, 3, 16, 16], \"data\": [768 numbers]}");
		}
		ModelInput input = ModelInput.of(model());
		long[] dims = request.dims();
		input.checkFits(dims, this.properties);
		long expected = Arrays.stream(dims).reduce(1, Math::multiplyExact);
		if (request.data().length != expected) {
			throw PredictionRejectedException.badRequest("'data' has " + request.data().length + " values but dims "
					+ Arrays.toString(dims) + " need " + expected);
		}
		float[] data = request.data();
		for (int i = 0; i < data.length; i++) {
			// Jackson reads "NaN", "Infinity" and numbers beyond the float range as
			// non-finite floats
			if (!Float.isFinite(data[i])) {
				throw PredictionRejectedException.badRequest("'data[" + i + "]' is not a finite float (NaN, Infinity "
						+ "or beyond ±" + Float.MAX_VALUE + "); send finite numbers");
			}
		}
		return run(input, dims, data, null);
	}

	private Prediction run(ModelInput input, long[] dims, float[] values, ImageSummary source) throws OrtException {
		OnnxModel model = model();
		if (batches(model)) {
			return runBatched(model, input, dims, values, source);
		}
		// buffers reused from request to request: no tensor is created, no input copied
		// by ONNX Runtime, and at a
		// warmed shape the output is written into the binding's own buffer
		try (OnnxBinding binding = this.inference.binding(model.name(), Map.of(input.name(), dims))) {
			binding.input(input.name()).asFloatBuffer().put(values);
			long start = System.nanoTime();
			binding.run();
			double millis = (System.nanoTime() - start) / 1_000_000.0;
			BoundTensor output = binding.output(input.output());
			return prediction(model, input, dims, source, output.shape(), output.asFloatBuffer(), millis);
		}
	}

	// queued by the starter's batcher with other requests' runs of the same height and
	// width; the result holds this request's own rows, and the time includes the queue
	private Prediction runBatched(OnnxModel model, ModelInput input, long[] dims, float[] values, ImageSummary source)
			throws OrtException {
		try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(values),
				dims)) {
			long start = System.nanoTime();
			try (Result result = this.inference.run(model.name(), Map.of(input.name(), tensor))) {
				double millis = (System.nanoTime() - start) / 1_000_000.0;
				OnnxTensor output = (OnnxTensor) result.get(input.output()).orElseThrow();
				return prediction(model, input, dims, source, output.getInfo().getShape(), output.getFloatBuffer(),
						millis);
			}
		}
	}

	private Prediction prediction(OnnxModel model, ModelInput input, long[] dims, ImageSummary source, long[] shape,
			FloatBuffer probabilities, double millis) {
		OutputSummary summary = OutputStatistics.summary(input.output(), shape, probabilities);
		if (!Double.isFinite(summary.min()) || !Double.isFinite(summary.max()) || !Double.isFinite(summary.mean())) {
			// finite inputs near the float range overflow inside the model; JSON has
			// no NaN
			throw PredictionRejectedException.badRequest("The output '" + input.output()
					+ "' is not finite (NaN or Infinity) for this input: its values are too large for the "
					+ "model's float arithmetic; send values of a sensible magnitude, such as 0 to 1");
		}
		return new Prediction(model.name(), model.activeProvider().name(),
				new InputSummary(input.name(), dims, input.isWarmed(dims), source), summary, OutputStatistics
					.masks(shape, probabilities, this.properties.getMaskThreshold(), this.properties.getMaskGrid()),
				millis);
	}

	private boolean batches(OnnxModel model) {
		OnnxModelProperties definition = this.onnxProperties.getModels().get(model.name());
		return definition != null && definition.getBatching().isEnabled();
	}

	private OnnxModel model() {
		return this.registry.get(this.properties.getModel());
	}

}
