package io.github.onnxgpu.boot.warmup;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The written form of tensor dimensions, as configured and as shown in messages and
 * metric tags.
 *
 * @since 0.1.0
 */
public final class Dimensions {

	/**
	 * How the dimensions of a scalar (rank 0) are written.
	 */
	public static final String SCALAR = "scalar";

	private Dimensions() {
	}

	/**
	 * Write dimensions the way they are configured.
	 * @param dims the dimensions
	 * @return text such as {@code 1x3x640x640}, or {@value #SCALAR} for a scalar
	 */
	public static String format(long[] dims) {
		if (dims.length == 0) {
			return SCALAR;
		}
		return Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining("x"));
	}

}
