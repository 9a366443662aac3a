package io.github.onnxgpu.sample.predict;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;

import io.github.onnxgpu.boot.model.OnnxModel;

/**
 * The image input of a model such as the detector: one FLOAT tensor [N, C, H, W] with
 * dynamic height and width, and the sizes it was warmed at. Checks that requested
 * dimensions fit before ONNX Runtime sees them, so that a bad request is answered with a
 * message rather than a native error.
 *
 * @param name the input's name
 * @param shape the model's dimensions, {@code -1} where dynamic
 * @param dimensionNames the symbolic names of the dimensions, empty where none
 * @param warmed the warmed dimensions of this input
 * @param output the name of the output summarised
 */
record ModelInput(String name, long[] shape, String[] dimensionNames, List<long[]> warmed, String output) {

	static ModelInput of(OnnxModel model) {
		Map<String, NodeInfo> inputs = model.inputs();
		if (inputs.size() != 1 || model.outputs().isEmpty()) {
			throw new IllegalStateException("Model '" + model.name() + "' has inputs " + inputs.keySet()
					+ "; POST /predict serves models with one image input");
		}
		NodeInfo input = inputs.values().iterator().next();
		if (!(input.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT
				|| tensor.getShape().length != 4) {
			throw new IllegalStateException("Model '" + model.name() + "' takes " + input.getInfo()
					+ "; POST /predict serves models with a FLOAT [N, C, H, W] input");
		}
		List<long[]> warmed = model.warmupShapes().stream().map((shape) -> shape.get(input.getName())).toList();
		return new ModelInput(input.getName(), tensor.getShape(), tensor.getDimensionNames(), warmed,
				model.outputs().keySet().iterator().next());
	}

	/**
	 * The channels the model takes, or 3 when the model leaves them dynamic.
	 * @return the channels
	 */
	int channels() {
		return (this.shape[1] > 0) ? (int) this.shape[1] : 3;
	}

	/**
	 * The distinct warmed heights and widths, for images of one at a time.
	 * @return the sizes
	 */
	List<InferenceSize> warmedSizes() {
		return this.warmed.stream()
			.filter((dims) -> dims[0] == 1)
			.map((dims) -> new InferenceSize((int) dims[2], (int) dims[3]))
			.distinct()
			.toList();
	}

	boolean isWarmed(long[] dims) {
		return this.warmed.stream().anyMatch((candidate) -> Arrays.equals(candidate, dims));
	}

	/**
	 * Check dimensions against the model and the limits.
	 * @param dims the requested dimensions
	 * @param limits the limits
	 * @throws PredictionRejectedException 400 when they do not fit the model, 413 when
	 * they are over a limit
	 */
	void checkFits(long[] dims, PredictProperties limits) {
		if (dims.length != this.shape.length) {
			throw PredictionRejectedException.badRequest("dims " + Arrays.toString(dims) + " have " + dims.length
					+ " dimensions but input '" + this.name + "' takes " + this.shape.length + ": " + describe());
		}
		for (int i = 0; i < dims.length; i++) {
			if (dims[i] <= 0) {
				throw PredictionRejectedException.badRequest("dims " + Arrays.toString(dims)
						+ " must all be positive; input '" + this.name + "' is " + describe());
			}
			if (this.shape[i] > 0 && dims[i] != this.shape[i]) {
				throw PredictionRejectedException
					.badRequest("dims " + Arrays.toString(dims) + " set dimension " + i + " to " + dims[i]
							+ " but input '" + this.name + "' fixes it at " + this.shape[i] + ": " + describe());
			}
		}
		int multiple = limits.getSideMultiple();
		if (dims[2] % multiple != 0 || dims[3] % multiple != 0) {
			throw PredictionRejectedException.badRequest("dims " + Arrays.toString(dims)
					+ " give a height and width of " + dims[2] + "x" + dims[3] + " but the model needs multiples of "
					+ multiple + ", such as " + roundUp(dims[2], multiple) + "x" + roundUp(dims[3], multiple));
		}
		if (dims[0] > limits.getMaxBatch()) {
			throw PredictionRejectedException.tooLarge("A batch of " + dims[0]
					+ " is larger than the largest accepted, " + limits.getMaxBatch() + " (sample.predict.max-batch)");
		}
		if (dims[2] > limits.getMaxInferenceSide() || dims[3] > limits.getMaxInferenceSide()) {
			throw PredictionRejectedException
				.tooLarge("A height and width of " + dims[2] + "x" + dims[3] + " exceed the largest accepted side, "
						+ limits.getMaxInferenceSide() + " (sample.predict.max-inference-side)");
		}
	}

	/**
	 * The model's dimensions with symbolic names where dynamic.
	 * @return text such as {@code [N, 3, H, W]}
	 */
	String describe() {
		StringJoiner joiner = new StringJoiner(", ", "[", "]");
		for (int i = 0; i < this.shape.length; i++) {
			boolean named = i < this.dimensionNames.length && this.dimensionNames[i] != null
					&& !this.dimensionNames[i].isEmpty();
			joiner.add((this.shape[i] > 0) ? Long.toString(this.shape[i]) : named ? this.dimensionNames[i] : "?");
		}
		return joiner.toString();
	}

	private static long roundUp(long side, int multiple) {
		return Math.max(multiple, ((side + multiple - 1) / multiple) * multiple);
	}

}
