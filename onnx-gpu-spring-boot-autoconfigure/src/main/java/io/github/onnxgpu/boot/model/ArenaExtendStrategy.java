package io.github.onnxgpu.boot.model;

/**
 * How the device memory arena grows (ONNX Runtime's {@code arena_extend_strategy}).
 *
 * @since 0.1.0
 */
public enum ArenaExtendStrategy {

	/**
	 * Grow in chunks of ever larger powers of two: fewer allocations, more memory held.
	 */
	NEXT_POWER_OF_TWO("kNextPowerOfTwo"),

	/**
	 * Grow by exactly what is requested: tighter memory use, more allocations.
	 */
	SAME_AS_REQUESTED("kSameAsRequested");

	private final String ortValue;

	ArenaExtendStrategy(String ortValue) {
		this.ortValue = ortValue;
	}

	/**
	 * The value as ONNX Runtime spells it.
	 * @return the option value
	 */
	public String ortValue() {
		return this.ortValue;
	}

}
