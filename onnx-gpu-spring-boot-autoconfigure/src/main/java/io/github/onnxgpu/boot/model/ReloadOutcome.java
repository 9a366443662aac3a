package io.github.onnxgpu.boot.model;

/**
 * What a reload of a model did ({@link OnnxModelRegistry#reload}).
 *
 * @since 0.1.0
 */
public enum ReloadOutcome {

	/**
	 * The new version was loaded, checked, warmed and swapped in.
	 */
	SWAPPED,

	/**
	 * The new version was refused (the reason says why); the old one keeps serving, and
	 * what the reload built is closed.
	 */
	FAILED,

	/**
	 * Another reload of the model was running, or its start-up warmup, or the application
	 * is shutting down: this one was refused without trying.
	 */
	BUSY

}
