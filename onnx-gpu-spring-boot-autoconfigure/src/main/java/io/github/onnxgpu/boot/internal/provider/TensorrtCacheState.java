package io.github.onnxgpu.boot.internal.provider;

/**
 * What the TensorRT engine cache of a model held at start-up.
 */
public enum TensorrtCacheState {

	/**
	 * An engine for this model, ONNX Runtime version and settings was already there, so
	 * TensorRT loaded it instead of building one.
	 */
	HIT,

	/**
	 * No engine was there: TensorRT built one (on the first warmup run) and wrote it.
	 */
	BUILT,

	/**
	 * The engine cache is switched off: every start builds the engine again.
	 */
	DISABLED

}
