package io.github.onnxgpu.boot.model;

/**
 * Where a model is in its life.
 *
 * @since 0.1.0
 */
public enum ModelStatus {

	/**
	 * The session exists and waits for its warmup.
	 */
	LOADING,

	/**
	 * The warmup runs.
	 */
	WARMING,

	/**
	 * Warmed up and serving.
	 */
	READY,

	/**
	 * The warmup failed; the model is marked down.
	 */
	FAILED,

	/**
	 * Serving without warmup, as configured: the first request of each shape is slow.
	 */
	NOT_WARMED

}
