package io.github.onnxgpu.boot.internal.warmup.npy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxJavaType;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * Reads NumPy's {@code .npy} format, versions 1 to 3: little-endian (or single-byte)
 * numeric and boolean arrays in C order. Big-endian, Fortran-ordered, object, string and
 * structured arrays are rejected with a message that names the file and the fix.
 * <p>
 * Written here rather than taken from a library: the Java readers on Maven Central are
 * pre-1.0 and little maintained, or bring the Kotlin standard library, and all of them
 * copy the data into Java arrays, while ONNX Runtime wants a direct buffer. The format is
 * a short header (a Python dict literal) followed by the raw elements.
 *
 * @see <a href=
 * "https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">The NPY
 * format</a>
 */
public final class NpyReader {

	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };

	// NumPy itself refuses headers over 10 000 bytes by default; this bound only stops a
	// corrupt length from allocating gigabytes
	private static final int MAX_HEADER_LENGTH = 1024 * 1024;

	private NpyReader() {
	}

	/**
	 * Read an array from a resource.
	 * @param resource the {@code .npy} file
	 * @return the array
	 * @throws NpyFormatException when the resource cannot be read or is not a supported
	 * array
	 */
	public static NpyArray read(Resource resource) {
		String name = resource.getDescription();
		try (InputStream in = resource.getInputStream()) {
			return read(name, in);
		}
		catch (IOException ex) {
			throw new NpyFormatException(name + " cannot be read as a .npy file: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Read an array from a stream.
	 * @param name the file's name, for messages
	 * @param in the stream, positioned at the file's start; it is not closed
	 * @return the array
	 * @throws IOException when the stream cannot be read
	 * @throws NpyFormatException when the stream is not a supported array
	 */
	public static NpyArray read(String name, InputStream in) throws IOException {
		byte[] preamble = in.readNBytes(MAGIC.length + 2);
		if (preamble.length < MAGIC.length || !Arrays.equals(preamble, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
			throw new NpyFormatException(
					name + " is not a .npy file (it does not start with \\x93NUMPY); " + "write it with numpy.save");
		}
		if (preamble.length < MAGIC.length + 2) {
			throw truncated(name, "in its preamble");
		}
		int major = preamble[MAGIC.length] & 0xFF;
		int headerLength;
		Charset charset;
		if (major == 1) {
			headerLength = (int) littleEndian(name, in, 2);
			charset = StandardCharsets.ISO_8859_1;
		}
		else if (major == 2 || major == 3) {
			long length = littleEndian(name, in, 4);
			if (length > MAX_HEADER_LENGTH) {
				throw new NpyFormatException(name + " has a .npy header of " + length
						+ " bytes, which is not plausible;" + " the file is corrupt");
			}
			headerLength = (int) length;
			charset = (major == 3) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
		}
		else {
			throw new NpyFormatException(name + " is a .npy file of format version " + major + "."
					+ (preamble[MAGIC.length + 1] & 0xFF) + ", but only versions 1 to 3 are supported");
		}
		byte[] headerBytes = in.readNBytes(headerLength);
		if (headerBytes.length < headerLength) {
			throw truncated(name, "in its header");
		}
		Header header = Header.parse(name, new String(headerBytes, charset));
		ByteBuffer data = readData(name, in, header);
		return new NpyArray(header.type, header.shape, data);
	}

	static long elementCount(long[] shape) {
		long count = 1;
		for (long dim : shape) {
			count = Math.multiplyExact(count, dim);
		}
		return count;
	}

	private static ByteBuffer readData(String name, InputStream in, Header header) throws IOException {
		long bytes;
		try {
			bytes = Math.multiplyExact(elementCount(header.shape), header.type.size);
		}
		catch (ArithmeticException ex) {
			bytes = Long.MAX_VALUE;
		}
		if (bytes > Integer.MAX_VALUE) {
			throw new NpyFormatException(name + " holds " + bytes + " bytes of data, more than the 2 GB a warmup "
					+ "sample may have; save a smaller sample");
		}
		ByteBuffer data = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
		ReadableByteChannel channel = Channels.newChannel(in);
		while (data.hasRemaining()) {
			if (channel.read(data) < 0) {
				throw truncated(name, "after " + data.position() + " of the " + bytes + " data bytes that shape "
						+ Arrays.toString(header.shape) + " needs");
			}
		}
		data.flip();
		if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN && header.type.size > 1) {
			swapBytes(data, header.type.size);
		}
		return data.order(ByteOrder.nativeOrder());
	}

	// ONNX Runtime reads the buffer in the platform's order
	private static void swapBytes(ByteBuffer data, int size) {
		for (int start = 0; start < data.limit(); start += size) {
			for (int i = 0; i < size / 2; i++) {
				byte low = data.get(start + i);
				data.put(start + i, data.get(start + size - 1 - i));
				data.put(start + size - 1 - i, low);
			}
		}
	}

	private static long littleEndian(String name, InputStream in, int bytes) throws IOException {
		byte[] read = in.readNBytes(bytes);
		if (read.length < bytes) {
			throw truncated(name, "in its header length");
		}
		long value = 0;
		for (int i = bytes - 1; i >= 0; i--) {
			value = (value << 8) | (read[i] & 0xFF);
		}
		return value;
	}

	private static NpyFormatException truncated(String name, String where) {
		return new NpyFormatException(name + " is truncated " + where + "; save it again with numpy.save",
				new EOFException());
	}

	private record Header(OnnxJavaType type, long[] shape) {

		static Header parse(String name, String text) {
			Object parsed;
			try {
				parsed = new LiteralParser(text).parseWhole();
			}
			catch (IllegalArgumentException ex) {
				throw new NpyFormatException(
						name + " has an unreadable .npy header (" + ex.getMessage() + "): " + text.strip());
			}
			if (!(parsed instanceof Map<?, ?> dict)) {
				throw new NpyFormatException(name + " has a .npy header that is not a dictionary: " + text.strip());
			}
			Object descr = dict.get("descr");
			Object fortranOrder = dict.get("fortran_order");
			Object shape = dict.get("shape");
			if (descr == null || fortranOrder == null || shape == null) {
				throw new NpyFormatException(
						name + " has a .npy header without 'descr', 'fortran_order' and " + "'shape': " + text.strip());
			}
			if (!(descr instanceof String dtype)) {
				throw new NpyFormatException(name + " holds a structured array (dtype " + descr + "); "
						+ "save a plain numeric array, one file per input");
			}
			OnnxJavaType type = type(name, dtype);
			if (!(shape instanceof List<?> dims)) {
				throw new NpyFormatException(name + " has a .npy shape that is not a tuple: " + shape);
			}
			long[] dimensions = new long[dims.size()];
			for (int i = 0; i < dimensions.length; i++) {
				if (!(dims.get(i) instanceof Long dim) || dim < 0) {
					throw new NpyFormatException(name + " has a .npy shape with an invalid dimension: " + shape);
				}
				dimensions[i] = dim;
			}
			// a Fortran-ordered array of at most one dimension above 1 is laid out as in
			// C
			if (Boolean.TRUE.equals(fortranOrder) && significantDimensions(dimensions) > 1) {
				throw new NpyFormatException(name + " is in Fortran order (column-major), but warmup needs C order; "
						+ "save numpy.ascontiguousarray(array) instead");
			}
			return new Header(type, dimensions);
		}

		private static int significantDimensions(long[] dims) {
			int count = 0;
			for (long dim : dims) {
				count += (dim > 1) ? 1 : 0;
			}
			return count;
		}

		private static OnnxJavaType type(String name, String dtype) {
			if (dtype.length() < 2) {
				throw unsupported(name, dtype);
			}
			char order = dtype.charAt(0);
			String code = ("<>|=".indexOf(order) >= 0) ? dtype.substring(1) : dtype;
			OnnxJavaType type = switch (code) {
				case "f2" -> OnnxJavaType.FLOAT16;
				case "f4" -> OnnxJavaType.FLOAT;
				case "f8" -> OnnxJavaType.DOUBLE;
				case "i1" -> OnnxJavaType.INT8;
				case "i2" -> OnnxJavaType.INT16;
				case "i4" -> OnnxJavaType.INT32;
				case "i8" -> OnnxJavaType.INT64;
				case "u1" -> OnnxJavaType.UINT8;
				case "b1" -> OnnxJavaType.BOOL;
				default -> null;
			};
			if (type == null) {
				if (code.startsWith("O")) {
					throw new NpyFormatException(name + " holds an object array (dtype " + dtype + "), which has no "
							+ "raw data; save a numeric array");
				}
				throw unsupported(name, dtype);
			}
			boolean bigEndian = order == '>' || (order == '=' && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN);
			if (bigEndian && type.size > 1) {
				throw new NpyFormatException(name + " is big-endian (dtype " + dtype + "); save "
						+ "array.astype(array.dtype.newbyteorder('<')) instead");
			}
			return type;
		}

		private static NpyFormatException unsupported(String name, String dtype) {
			return new NpyFormatException(name + " has dtype " + dtype + ", which ONNX Runtime's Java API cannot take;"
					+ " save one of float16, float32, float64, int8, int16, int32, int64, uint8 or bool");
		}

	}

	/**
	 * Parses the Python literals a {@code .npy} header holds: dicts, tuples, lists,
	 * strings, whole numbers, {@code True}, {@code False} and {@code None}. Strings keep
	 * their text; escapes are kept as written, which is all dtype strings need.
	 */
	private static final class LiteralParser {

		private final String text;

		private int position;

		LiteralParser(String text) {
			this.text = text;
		}

		@Nullable Object parseWhole() {
			Object value = value();
			skipWhitespace();
			if (this.position != this.text.length()) {
				throw error("unexpected text after the dictionary");
			}
			return value;
		}

		private @Nullable Object value() {
			skipWhitespace();
			if (this.position >= this.text.length()) {
				throw error("unexpected end");
			}
			char c = this.text.charAt(this.position);
			return switch (c) {
				case '{' -> dict();
				case '(' -> sequence(')');
				case '[' -> sequence(']');
				case '\'', '"' -> string(c);
				default -> word();
			};
		}

		private Map<@Nullable Object, @Nullable Object> dict() {
			Map<@Nullable Object, @Nullable Object> dict = new LinkedHashMap<>();
			this.position++;
			while (true) {
				skipWhitespace();
				if (peek() == '}') {
					this.position++;
					return dict;
				}
				Object key = value();
				skipWhitespace();
				expect(':');
				dict.put(key, value());
				skipWhitespace();
				if (peek() == ',') {
					this.position++;
				}
				else if (peek() != '}') {
					throw error("expected ',' or '}'");
				}
			}
		}

		private List<@Nullable Object> sequence(char close) {
			List<@Nullable Object> values = new ArrayList<>();
			this.position++;
			while (true) {
				skipWhitespace();
				if (peek() == close) {
					this.position++;
					return values;
				}
				values.add(value());
				skipWhitespace();
				if (peek() == ',') {
					this.position++;
				}
				else if (peek() != close) {
					throw error("expected ',' or '" + close + "'");
				}
			}
		}

		private String string(char quote) {
			int start = ++this.position;
			while (this.position < this.text.length() && this.text.charAt(this.position) != quote) {
				this.position += (this.text.charAt(this.position) == '\\') ? 2 : 1;
			}
			if (this.position >= this.text.length()) {
				throw error("unterminated string");
			}
			return this.text.substring(start, this.position++);
		}

		private @Nullable Object word() {
			int start = this.position;
			while (this.position < this.text.length() && (Character.isLetterOrDigit(this.text.charAt(this.position))
					|| "-+_".indexOf(this.text.charAt(this.position)) >= 0)) {
				this.position++;
			}
			String word = this.text.substring(start, this.position);
			switch (word) {
				case "True":
					return Boolean.TRUE;
				case "False":
					return Boolean.FALSE;
				case "None":
					return null;
				default:
					break;
			}
			// Python 2 wrote long dimensions with an L suffix
			String digits = (word.endsWith("L") || word.endsWith("l")) ? word.substring(0, word.length() - 1) : word;
			try {
				return Long.parseLong(digits);
			}
			catch (NumberFormatException ex) {
				this.position = start;
				throw error("unexpected '" + (word.isEmpty() ? this.text.charAt(start) : word) + "'");
			}
		}

		private void expect(char c) {
			if (peek() != c) {
				throw error("expected '" + c + "'");
			}
			this.position++;
		}

		private char peek() {
			if (this.position >= this.text.length()) {
				throw error("unexpected end");
			}
			return this.text.charAt(this.position);
		}

		private void skipWhitespace() {
			while (this.position < this.text.length() && Character.isWhitespace(this.text.charAt(this.position))) {
				this.position++;
			}
		}

		private IllegalArgumentException error(String message) {
			return new IllegalArgumentException(message + " at character " + this.position);
		}

	}

}
