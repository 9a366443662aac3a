package io.github.onnxgpu.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * Settings of ONNX Runtime's TensorRT execution provider, under {@code onnx.tensorrt} for
 * all models and under {@code onnx.models.<name>.tensorrt} for one. Every provider option
 * here is {@code null} when unset: a model's unset value inherits the shared one (see
 * {@link Inheritance}), and an option left unset everywhere keeps ONNX Runtime's own
 * default: only options that are set, or that the starter derives (caches, profiles), are
 * sent. The starter's own settings with a default ({@code enabled}, the caches,
 * {@code profile-shapes}) are fields of {@link OnnxProperties.Tensorrt}, whose
 * initialisers are the defaults, and nullable fields of
 * {@link OnnxModelProperties.Tensorrt}, where unset inherits.
 *
 * @since 0.1.0
 */
public abstract class TensorrtOptions {

	/**
	 * Whether TensorRT may build FP16 kernels. ONNX Runtime's default is false.
	 */
	private @Nullable Boolean fp16;

	/**
	 * Largest workspace TensorRT may use while building and running an engine. ONNX
	 * Runtime's default is the GPU's memory.
	 */
	private @Nullable DataSize maxWorkspaceSize;

	/**
	 * TensorRT builder optimization level, 0 (fast build) to 5 (longest build, fastest
	 * engine). ONNX Runtime's default is 3.
	 */
	private @Nullable Integer builderOptimizationLevel;

	/**
	 * Raw TensorRT provider options passed as given, by ONNX Runtime key name, for keys
	 * this starter does not map. They override typed and derived options with the same
	 * key.
	 */
	private Map<String, String> options = new LinkedHashMap<>();

	public @Nullable Boolean getFp16() {
		return this.fp16;
	}

	public void setFp16(@Nullable Boolean fp16) {
		this.fp16 = fp16;
	}

	public @Nullable DataSize getMaxWorkspaceSize() {
		return this.maxWorkspaceSize;
	}

	public void setMaxWorkspaceSize(@Nullable DataSize maxWorkspaceSize) {
		this.maxWorkspaceSize = maxWorkspaceSize;
	}

	public @Nullable Integer getBuilderOptimizationLevel() {
		return this.builderOptimizationLevel;
	}

	public void setBuilderOptimizationLevel(@Nullable Integer builderOptimizationLevel) {
		this.builderOptimizationLevel = builderOptimizationLevel;
	}

	public Map<String, String> getOptions() {
		return this.options;
	}

	public void setOptions(Map<String, String> options) {
		this.options = options;
	}

}
