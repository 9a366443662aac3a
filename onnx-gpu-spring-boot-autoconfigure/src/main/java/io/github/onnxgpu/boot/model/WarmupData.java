package io.github.onnxgpu.boot.model;

/**
 * What warmup input tensors are filled with.
 *
 * @since 0.1.0
 */
public enum WarmupData {

	/**
	 * All zeros (false for booleans).
	 */
	ZEROS,

	/**
	 * Seeded pseudo-random values: small numbers in [0, 1) for floating point types and 0
	 * or 1 for integer and boolean types, so that index inputs such as token ids stay in
	 * range.
	 */
	RANDOM

}
