package io.github.onnxgpu.boot.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;

/**
 * Callback to adjust a model's session options after the starter has applied the
 * configured ones and before the CUDA execution provider is added, so that a provider
 * added here (TensorRT, say) takes precedence over CUDA.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface OrtSessionOptionsCustomizer {

	/**
	 * Customize the session options of a model. Called again with fresh options when a
	 * model falls back to the CPU.
	 * @param modelName the model's name
	 * @param options the options to customize
	 * @throws OrtException when ONNX Runtime rejects a setting
	 */
	void customize(String modelName, SessionOptions options) throws OrtException;

}
