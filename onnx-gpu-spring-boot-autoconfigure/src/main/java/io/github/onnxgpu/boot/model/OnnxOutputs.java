package io.github.onnxgpu.boot.model;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;

/**
 * Reads a run's outputs by name, failing with a message that names the model, the output
 * asked for and the outputs the result holds, where
 * {@code result.get(name).orElseThrow()} says only "No value present":
 *
 * <pre class="code">
 * try (Result result = inference.run("detector", Map.of("image", input))) {
 *     float[][][][] probability = OnnxOutputs.of("detector", result).get("probability", float[][][][].class);
 * }
 * </pre>
 *
 * A view on the result: closing the result closes the values read through it.
 *
 * @since 0.1.0
 */
public final class OnnxOutputs {

	private final String modelName;

	private final Result result;

	private OnnxOutputs(String modelName, Result result) {
		this.modelName = modelName;
		this.result = result;
	}

	/**
	 * Read the outputs of a run.
	 * @param modelName the model that ran, named in the errors
	 * @param result the run's result
	 * @return the outputs
	 */
	public static OnnxOutputs of(String modelName, Result result) {
		return new OnnxOutputs(modelName, result);
	}

	/**
	 * An output as ONNX Runtime returns it.
	 * @param name the output's name
	 * @return the output
	 * @throws NoSuchElementException when the result has no such output, naming the
	 * outputs it has
	 */
	public OnnxValue value(String name) {
		return this.result.get(name)
			.orElseThrow(() -> new NoSuchElementException("ONNX model '" + this.modelName + "' has no output '" + name
					+ "' in this result; its outputs are " + names() + ". Fix: use one of those names (all the "
					+ "model's outputs are listed under outputs at /actuator/onnx/" + this.modelName
					+ "), or ask for the output when running"));
	}

	/**
	 * An output that is a tensor, to read its buffer without copying it into arrays.
	 * @param name the output's name
	 * @return the tensor
	 * @throws NoSuchElementException when the result has no such output
	 * @throws ClassCastException when the output is not a tensor (a sequence or a map)
	 */
	public OnnxTensor tensor(String name) {
		OnnxValue value = value(name);
		if (value instanceof OnnxTensor tensor) {
			return tensor;
		}
		throw new ClassCastException("ONNX model '" + this.modelName + "': output '" + name + "' is not a tensor but "
				+ value.getInfo() + "; read it with value(\"" + name + "\")");
	}

	/**
	 * An output's value as Java arrays (a tensor), lists (a sequence) or maps, as
	 * {@link OnnxValue#getValue()} copies it out of native memory.
	 * @param <T> the value's type
	 * @param name the output's name
	 * @param type the value's type, such as {@code float[][][][].class} for a float
	 * tensor of rank 4, {@code Float.class} for a float scalar
	 * @return the value
	 * @throws NoSuchElementException when the result has no such output
	 * @throws ClassCastException when the value is of another type, naming the type it is
	 * @throws OrtException when ONNX Runtime cannot read the value
	 */
	public <T> T get(String name, Class<T> type) throws OrtException {
		OnnxValue value = value(name);
		Object read = value.getValue();
		if (!type.isInstance(read)) {
			throw new ClassCastException("ONNX model '" + this.modelName + "': output '" + name + "' is a "
					+ read.getClass().getSimpleName() + " (" + value.getInfo() + "), not a " + type.getSimpleName());
		}
		return type.cast(read);
	}

	private List<String> names() {
		List<String> names = new ArrayList<>();
		this.result.forEach((entry) -> names.add(entry.getKey()));
		return names;
	}

}
