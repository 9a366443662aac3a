package io.github.onnxgpu.boot.model;

/**
 * What to do when a model's warmup fails.
 *
 * @since 0.1.0
 */
public enum WarmupFailureAction {

	/**
	 * Stop start-up, naming the model and the shape that failed.
	 */
	FAIL,

	/**
	 * Keep the application running with the model marked failed.
	 */
	MARK_DOWN

}
