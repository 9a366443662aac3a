package io.github.onnxgpu.boot.internal.session;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession.Result;

/**
 * The output shapes a model produced for given input shapes, as recorded by its warmup
 * runs, so that a {@link DefaultOnnxBinding} for the same input shapes can pin every
 * output.
 */
public final class OutputShapes {

	private final Map<String, Map<String, long[]>> byInputs = new ConcurrentHashMap<>();

	/**
	 * Record the shapes of a run's tensor outputs.
	 * @param inputs every input's dimensions, by name
	 * @param result the run's result
	 */
	public void record(Map<String, long[]> inputs, Result result) {
		Map<String, long[]> outputs = new LinkedHashMap<>();
		for (Map.Entry<String, OnnxValue> output : result) {
			if (output.getValue() instanceof OnnxTensor tensor) {
				outputs.put(output.getKey(), tensor.getInfo().getShape());
			}
		}
		this.byInputs.put(key(inputs), Collections.unmodifiableMap(outputs));
	}

	/**
	 * The recorded output shapes for some input shapes.
	 * @param inputs every input's dimensions, by name
	 * @return output shapes by name, empty when none were recorded
	 */
	public Map<String, long[]> find(Map<String, long[]> inputs) {
		return this.byInputs.getOrDefault(key(inputs), Map.of());
	}

	/**
	 * Forget the shapes recorded for some input shapes, as when a run showed that the
	 * outputs depend on the input values and not only on their shapes.
	 * @param inputs every input's dimensions, by name
	 */
	void forget(Map<String, long[]> inputs) {
		this.byInputs.remove(key(inputs));
	}

	private static String key(Map<String, long[]> inputs) {
		StringBuilder key = new StringBuilder();
		inputs.forEach((name, dims) -> key.append(name).append('=').append(Arrays.toString(dims)).append(';'));
		return key.toString();
	}

}
