package io.github.onnxgpu.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Warmup settings, under {@code onnx.warmup} for all models and under
 * {@code onnx.models.<name>.warmup} for one. The settings with a default are fields of
 * {@link OnnxProperties.Warmup}, whose initialisers are the defaults, and nullable fields
 * of {@link OnnxModelProperties.Warmup}, where unset inherits (see {@link Inheritance}).
 *
 * @since 0.1.0
 */
public abstract class WarmupOptions {

	/**
	 * Values of control inputs (sample rates, thresholds, lengths, flags) by input name:
	 * every element of the input is set to the value, converted to its element type.
	 */
	private Map<String, String> values = new LinkedHashMap<>();

	public Map<String, String> getValues() {
		return this.values;
	}

	public void setValues(Map<String, String> values) {
		this.values = values;
	}

}
