package io.github.onnxgpu.boot.internal.warmup;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The written form of tensor dimensions, as configured and as shown in messages and
 * metric tags: positive whole numbers separated by {@code x} (or {@code X}, or a comma),
 * spaces allowed around them, such as {@code 1x3x640x640}; {@value #SCALAR} for a scalar.
 * One grammar for every property that takes dimensions (warmup shapes, TensorRT
 * profiles), read by {@link #parse} and written by {@link #format}.
 */
public final class Dimensions {

	/**
	 * How the dimensions of a scalar (rank 0) are written.
	 */
	public static final String SCALAR = "scalar";

	private static final Pattern SEPARATOR = Pattern.compile("\\s*[xX,]\\s*");

	private Dimensions() {
	}

	/**
	 * Read dimensions as configured.
	 * @param text text such as {@code 1x3x640x640} or {@value #SCALAR}
	 * @return the dimensions, empty for a scalar; {@code null} when the text is not
	 * positive whole numbers separated by {@code x} (an empty part, a zero, a sign, a
	 * name), for the caller to say so naming its property
	 */
	public static long @Nullable [] parse(String text) {
		String stripped = text.strip();
		if (stripped.equalsIgnoreCase(SCALAR)) {
			return new long[0];
		}
		String[] parts = SEPARATOR.split(stripped, -1);
		long[] dims = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			if (parts[i].isEmpty() || !parts[i].chars().allMatch(Character::isDigit)) {
				return null;
			}
			try {
				dims[i] = Long.parseLong(parts[i]);
			}
			catch (NumberFormatException ex) {
				return null;
			}
			if (dims[i] <= 0) {
				return null;
			}
		}
		return dims;
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
