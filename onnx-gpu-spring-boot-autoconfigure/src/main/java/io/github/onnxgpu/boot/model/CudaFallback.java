package io.github.onnxgpu.boot.model;

/**
 * What to do when the CUDA execution provider cannot be added to a session.
 *
 * @since 0.1.0
 */
public enum CudaFallback {

	/**
	 * Stop start-up with ONNX Runtime's reason and a hint.
	 */
	FAIL,

	/**
	 * Run the model on the CPU, log one warning and record the reason.
	 */
	CPU

}
