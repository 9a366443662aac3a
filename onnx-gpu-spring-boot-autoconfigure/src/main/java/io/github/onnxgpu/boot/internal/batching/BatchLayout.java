package io.github.onnxgpu.boot.internal.batching;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Where the batch lies in each input and output of a model, checked at start-up. An input
 * with a dynamic dimension at its batch position is stacked; any other input (a scalar, a
 * control input such as a sample rate) is a control input: runs are batched together only
 * when its values are equal, and the batch receives it once.
 */
public final class BatchLayout {

	/**
	 * The batch position of a control input.
	 */
	public static final int CONTROL = -1;

	private final String modelName;

	private final Map<String, Integer> inputDimensions;

	private final Map<String, TensorInfo> inputs;

	private final Map<String, Integer> outputDimensions;

	private final Map<String, TensorInfo> outputs;

	private BatchLayout(String modelName, Map<String, Integer> inputDimensions, Map<String, TensorInfo> inputs,
			Map<String, Integer> outputDimensions, Map<String, TensorInfo> outputs) {
		this.modelName = modelName;
		this.inputDimensions = Collections.unmodifiableMap(inputDimensions);
		this.inputs = Collections.unmodifiableMap(inputs);
		this.outputDimensions = Collections.unmodifiableMap(outputDimensions);
		this.outputs = Collections.unmodifiableMap(outputs);
	}

	/**
	 * Check that a model's inputs can be batched and find their batch dimensions. The
	 * outputs' are known only from configuration until {@link #withOutputShapes} has seen
	 * runs at two batch sizes.
	 * @param modelName the model
	 * @param inputs the model's inputs
	 * @param outputs the model's outputs
	 * @param settings the batching settings
	 * @return the layout
	 * @throws OnnxModelException when the model cannot be batched as configured
	 */
	public static BatchLayout of(String modelName, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs,
			BatchingSettings settings) {
		Map<String, TensorInfo> inputTensors = tensors(modelName, "input", inputs);
		Map<String, TensorInfo> outputTensors = tensors(modelName, "output", outputs);
		for (String name : settings.dimensions().keySet()) {
			if (!inputTensors.containsKey(name) && !outputTensors.containsKey(name)) {
				String property = dimensionProperty(modelName, name);
				throw new OnnxModelException(modelName, property,
						"'" + name + "' is neither an input nor an output of the model (inputs " + inputTensors.keySet()
								+ ", outputs " + outputTensors.keySet() + ")",
						"name an input or output of the model under "
								+ OnnxModelException.modelProperty(modelName, "batching.dimensions"));
			}
		}
		Map<String, Integer> inputDimensions = new LinkedHashMap<>();
		inputTensors
			.forEach((name, info) -> inputDimensions.put(name, inputDimension(modelName, name, info, settings)));
		if (inputDimensions.values().stream().allMatch((d) -> d == CONTROL)) {
			throw new OnnxModelException(modelName, OnnxModelException.modelProperty(modelName, "batching.enabled"),
					"no input has a dynamic batch dimension, so runs cannot be stacked (inputs "
							+ describe(inputTensors) + ")",
					"export the model with a dynamic batch axis, name the batch dimension of an input under "
							+ OnnxModelException.modelProperty(modelName, "batching.dimensions")
							+ ", or disable batching for this model");
		}
		Map<String, Integer> outputDimensions = new LinkedHashMap<>();
		outputTensors.forEach((name, info) -> {
			Integer configured = settings.dimensions().get(name);
			if (configured != null) {
				checkPosition(modelName, "output", name, info, configured);
				outputDimensions.put(name, configured);
			}
		});
		return new BatchLayout(modelName, inputDimensions, inputTensors, outputDimensions, outputTensors);
	}

	/**
	 * Find or check every output's batch dimension from runs of the same sample at batch
	 * sizes 1 and 2: the dimension that is 1, then 2.
	 * @param atOne the output shapes at batch size 1
	 * @param atTwo the output shapes at batch size 2
	 * @return the complete layout
	 * @throws OnnxModelException when an output does not scale with the batch
	 */
	public BatchLayout withOutputShapes(Map<String, long[]> atOne, Map<String, long[]> atTwo) {
		Map<String, Integer> found = new LinkedHashMap<>();
		for (String name : this.outputs.keySet()) {
			long[] one = atOne.get(name);
			long[] two = atTwo.get(name);
			Integer configured = this.outputDimensions.get(name);
			int dimension = (one != null && two != null) ? scalingDimension(one, two, configured) : CONTROL;
			if (dimension == CONTROL) {
				String property = dimensionProperty(this.modelName, name);
				throw new OnnxModelException(this.modelName, property,
						"output '" + name + "' does not scale with the batch (shape " + describe(one) + " at batch 1, "
								+ describe(two) + " at batch 2"
								+ ((configured != null) ? ", configured batch dimension " + configured : "")
								+ "), so it cannot be split among the batched runs",
						"name the output's batch dimension under " + property
								+ " if it has one, or disable batching for this model with "
								+ OnnxModelException.modelProperty(this.modelName, "batching.enabled") + "=false");
			}
			found.put(name, dimension);
		}
		return new BatchLayout(this.modelName, new LinkedHashMap<>(this.inputDimensions),
				new LinkedHashMap<>(this.inputs), found, new LinkedHashMap<>(this.outputs));
	}

	public String modelName() {
		return this.modelName;
	}

	/**
	 * The batch dimension of each input, {@link #CONTROL} for a control input.
	 * @return the dimensions by input name, in the model's order
	 */
	public Map<String, Integer> inputDimensions() {
		return this.inputDimensions;
	}

	/**
	 * The batch dimension of each output, once known.
	 * @return the dimensions by output name
	 */
	public Map<String, Integer> outputDimensions() {
		return this.outputDimensions;
	}

	public Map<String, TensorInfo> inputs() {
		return this.inputs;
	}

	public Map<String, TensorInfo> outputs() {
		return this.outputs;
	}

	/**
	 * A sample's dimensions at another batch size.
	 * @param dimensions every input's dimensions
	 * @param batchSize the batch size
	 * @return the dimensions with each stacked input's batch dimension set
	 */
	public Map<String, long[]> atBatchSize(Map<String, long[]> dimensions, long batchSize) {
		Map<String, long[]> resized = new LinkedHashMap<>();
		dimensions.forEach((name, dims) -> {
			long[] copy = dims.clone();
			int position = this.inputDimensions.getOrDefault(name, CONTROL);
			if (position != CONTROL && position < copy.length) {
				copy[position] = batchSize;
			}
			resized.put(name, copy);
		});
		return resized;
	}

	private static int scalingDimension(long[] one, long[] two, @Nullable Integer configured) {
		if (one.length != two.length) {
			return CONTROL;
		}
		for (int d = 0; d < one.length; d++) {
			if (configured != null && d != configured) {
				continue;
			}
			if (one[d] == 1 && two[d] == 2 && sameElsewhere(one, two, d)) {
				return d;
			}
		}
		return CONTROL;
	}

	private static boolean sameElsewhere(long[] one, long[] two, int except) {
		for (int d = 0; d < one.length; d++) {
			if (d != except && one[d] != two[d]) {
				return false;
			}
		}
		return true;
	}

	private static int inputDimension(String modelName, String name, TensorInfo info, BatchingSettings settings) {
		Integer configured = settings.dimensions().get(name);
		long[] shape = info.getShape();
		if (configured == null) {
			// the batch leads by convention; an input without a dynamic leading
			// dimension is a control input
			return (shape.length > 0 && shape[0] < 0) ? 0 : CONTROL;
		}
		checkPosition(modelName, "input", name, info, configured);
		if (shape[configured] >= 0) {
			String property = dimensionProperty(modelName, name);
			throw new OnnxModelException(modelName, property,
					"dimension " + configured + " of input '" + name + "' is fixed at " + shape[configured] + " (shape "
							+ describe(shape) + "), so it cannot hold a batch",
					"export the model with a dynamic batch axis there, name another dimension under " + property
							+ ", or disable batching for this model");
		}
		return configured;
	}

	private static void checkPosition(String modelName, String kind, String name, TensorInfo info, int position) {
		long[] shape = info.getShape();
		if (position < 0 || position >= shape.length) {
			String property = dimensionProperty(modelName, name);
			throw new OnnxModelException(modelName, property,
					kind + " '" + name + "' has rank " + shape.length + " (shape " + describe(shape)
							+ "), so it has no dimension " + position,
					(shape.length == 0) ? "remove " + property + ": a scalar carries no batch"
							: "set " + property + " to a dimension from 0 to " + (shape.length - 1));
		}
	}

	private static Map<String, TensorInfo> tensors(String modelName, String kind, Map<String, NodeInfo> nodes) {
		Map<String, TensorInfo> tensors = new LinkedHashMap<>();
		nodes.forEach((name, node) -> {
			if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type == OnnxJavaType.STRING
					|| tensor.type == OnnxJavaType.UNKNOWN) {
				throw new OnnxModelException(modelName, OnnxModelException.modelProperty(modelName, "batching.enabled"),
						kind + " '" + name + "' is " + node.getInfo() + "; batching stacks numeric tensors only",
						"disable batching for this model");
			}
			tensors.put(name, tensor);
		});
		return tensors;
	}

	private static String dimensionProperty(String modelName, String name) {
		return OnnxModelException.modelProperty(modelName, "batching.dimensions." + name);
	}

	private static String describe(Map<String, TensorInfo> tensors) {
		StringBuilder text = new StringBuilder();
		tensors.forEach((name, info) -> text.append((text.length() > 0) ? ", " : "")
			.append(name)
			.append(' ')
			.append(describe(info.getShape())));
		return text.toString();
	}

	private static String describe(long @Nullable [] shape) {
		return (shape != null) ? Arrays.toString(shape) : "none";
	}

}
