package io.github.onnxgpu.boot.internal.warmup.npy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code .npy} files byte by byte as NumPy's format description lays them out, so
 * that tests need neither Python nor stored files.
 */
public final class NpyFiles {

	private NpyFiles() {
	}

	/**
	 * A {@code .npy} file.
	 * @param version the format's major version, 1 to 3
	 * @param header the header dict literal, such as {@code {'descr': '<f4',
	 * 'fortran_order': False, 'shape': (2, 3), }}
	 * @param data the raw data
	 * @return the file's bytes
	 */
	public static byte[] npy(int version, String header, byte[] data) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0x93);
		out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
		out.write(version);
		out.write(0);
		int lengthBytes = (version == 1) ? 2 : 4;
		byte[] text = header.getBytes((version == 3) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		// padded with spaces and a newline so that the data starts at a multiple of 64
		int unpadded = 6 + 2 + lengthBytes + text.length + 1;
		int padding = (64 - unpadded % 64) % 64;
		int length = text.length + padding + 1;
		for (int i = 0; i < lengthBytes; i++) {
			out.write((length >> (8 * i)) & 0xFF);
		}
		out.writeBytes(text);
		out.writeBytes(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII));
		out.write('\n');
		out.writeBytes(data);
		return out.toByteArray();
	}

	/**
	 * A version 1 float32 file.
	 * @param shape the shape in Python form, such as {@code (1, 3, 8, 8)}
	 * @param values the values in C order
	 * @return the file's bytes
	 */
	public static byte[] float32(String shape, float... values) {
		ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		for (float value : values) {
			data.putFloat(value);
		}
		return npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", data.array());
	}

	/**
	 * A version 1 float32 file of the given shape, filled with a value.
	 * @param value the value
	 * @param dims the dimensions
	 * @return the file's bytes
	 */
	public static byte[] float32Filled(float value, long... dims) {
		int count = 1;
		StringBuilder shape = new StringBuilder("(");
		for (long dim : dims) {
			count *= (int) dim;
			shape.append(dim).append(", ");
		}
		float[] values = new float[count];
		java.util.Arrays.fill(values, value);
		return float32(shape.append(')').toString(), values);
	}

}
