package io.github.onnxgpu.boot.internal.batching;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.TensorInfo;

/**
 * The starter's own checks of a run's inputs, before ONNX Runtime sees them, so that a
 * refusal names the model and the input: ONNX Runtime's own messages name neither the
 * model nor, for some, the fix.
 */
public final class InputCheck {

	private InputCheck() {
	}

	/**
	 * Refuse inputs the model does not have and inputs it needs that are missing.
	 * @param modelName the model
	 * @param modelInputs the model's input names
	 * @param given the run's input names
	 * @throws IllegalArgumentException naming the model and the input
	 */
	public static void names(String modelName, Set<String> modelInputs, Set<String> given) {
		for (String name : given) {
			if (!modelInputs.contains(name)) {
				throw new IllegalArgumentException(prefix(modelName) + "'" + name
						+ "' is not an input of the model; its inputs are " + modelInputs);
			}
		}
		for (String name : modelInputs) {
			if (!given.contains(name)) {
				throw new IllegalArgumentException(
						prefix(modelName) + "input '" + name + "' is missing; the model takes " + modelInputs);
			}
		}
	}

	/**
	 * Refuse a tensor whose element type, rank or fixed dimensions differ from the
	 * model's input.
	 * @param modelName the model
	 * @param name the input
	 * @param expected the model's input
	 * @param value the run's value
	 * @return the value as a tensor, {@code null} when it is no {@link OnnxTensor} (a
	 * sparse tensor, for one), which the batcher runs alone
	 * @throws IllegalArgumentException naming the model, the input, what it takes and
	 * what it was given
	 */
	static OnnxTensor tensor(String modelName, String name, TensorInfo expected, OnnxTensorLike value) {
		if (!(value instanceof OnnxTensor tensor)) {
			return null;
		}
		TensorInfo given = tensor.getInfo();
		if (given.type != expected.type) {
			throw new IllegalArgumentException(prefix(modelName) + "input '" + name + "' is a tensor of " + given.type
					+ ", the model takes " + expected.type + " " + Arrays.toString(expected.getShape()));
		}
		long[] shape = given.getShape();
		long[] wanted = expected.getShape();
		if (shape.length != wanted.length) {
			throw new IllegalArgumentException(prefix(modelName) + "input '" + name + "' has rank " + shape.length + " "
					+ Arrays.toString(shape) + ", the model takes rank " + wanted.length + " " + Arrays.toString(wanted)
					+ " (-1: any size)");
		}
		for (int d = 0; d < shape.length; d++) {
			if (wanted[d] >= 0 && shape[d] != wanted[d]) {
				throw new IllegalArgumentException(prefix(modelName) + "dimension " + d + " of input '" + name + "' is "
						+ shape[d] + " " + Arrays.toString(shape) + ", the model takes " + wanted[d] + " "
						+ Arrays.toString(wanted) + " (-1: any size)");
			}
		}
		return tensor;
	}

	/**
	 * Refuse stacked inputs whose batch counts differ.
	 * @param modelName the model
	 * @param dimensions each stacked input's batch dimension
	 * @param shapes the run's shapes
	 * @param first the input that set the count
	 * @param name the input that differs
	 * @return the exception
	 */
	static IllegalArgumentException batchMismatch(String modelName, Map<String, Integer> dimensions,
			Map<String, long[]> shapes, String first, String name) {
		return new IllegalArgumentException(prefix(modelName) + "input '" + name + "' "
				+ Arrays.toString(shapes.get(name)) + " has batch " + shapes.get(name)[dimensions.get(name)]
				+ " at dimension " + dimensions.get(name) + ", input '" + first + "' "
				+ Arrays.toString(shapes.get(first)) + " has batch " + shapes.get(first)[dimensions.get(first)]
				+ " at dimension " + dimensions.get(first)
				+ "; every batched input of a run carries the same batch [property "
				+ io.github.onnxgpu.boot.OnnxModelException.modelProperty(modelName, "batching.dimensions") + "]");
	}

	private static String prefix(String modelName) {
		return "ONNX model '" + modelName + "': ";
	}

}
