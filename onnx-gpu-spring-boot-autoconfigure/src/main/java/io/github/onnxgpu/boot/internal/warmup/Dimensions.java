package io.github.onnxgpu.boot.internal.warmup;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The written form of tensor dimensions, as configured and as shown in messages and
 * metric tags.
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

	/**
	 * Write the dimensions of several inputs.
	 * @param dimensions dimensions by input name
	 * @return text such as {@code {x=1x3x640x640, sr=scalar}}
	 */
	public static String format(Map<String, long[]> dimensions) {
		return dimensions.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + format(entry.getValue()))
			.collect(Collectors.joining(", ", "{", "}"));
	}

}
