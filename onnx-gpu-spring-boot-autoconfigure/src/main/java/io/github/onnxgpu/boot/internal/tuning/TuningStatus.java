package io.github.onnxgpu.boot.internal.tuning;

/**
 * Where a model's settings came from.
 */
public enum TuningStatus {

	/**
	 * Tuning is off for the model, or could not apply: it runs with its own settings.
	 */
	DISABLED,

	/**
	 * Tuning is about to run or running.
	 */
	PENDING,

	/**
	 * The candidates were measured at this start and the fastest one serves the model.
	 */
	TUNED,

	/**
	 * The choice was read from the tuning cache: no candidate was measured.
	 */
	CACHED,

	/**
	 * Every candidate failed, or tuning was stopped: the model's warmup failed.
	 */
	FAILED

}
