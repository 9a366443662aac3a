package io.github.onnxgpu.boot.internal.openinference;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensor elements as bytes, the way Triton's binary tensor data extension and the gRPC
 * raw contents carry them: little-endian, row-major, no padding; a {@code BYTES} element
 * as a 4-byte little-endian length followed by its bytes.
 */
public final class BinaryTensors {

	private BinaryTensors() {
	}

	/**
	 * Read an input's elements.
	 * @param subject the input, for the messages
	 * @param name the input's name
	 * @param datatype the datatype the request gave
	 * @param shape the shape the request gave
	 * @param bytes the elements as sent (position to limit)
	 * @return the input
	 * @throws OpenInferenceException when the bytes do not make whole elements
	 */
	public static RequestTensor read(String subject, String name, Datatype datatype, long[] shape, ByteBuffer bytes) {
		if (datatype == Datatype.BYTES) {
			return new RequestTensor(name, datatype, shape, null, strings(subject, bytes));
		}
		int size = datatype.size();
		if (bytes.remaining() % size != 0) {
			throw OpenInferenceException.badRequest(subject + ": " + bytes.remaining() + " bytes of " + datatype
					+ " data are no whole number of " + size + "-byte elements");
		}
		ByteBuffer direct = ByteBuffer.allocateDirect(bytes.remaining()).order(ByteOrder.nativeOrder());
		ByteBuffer source = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || size == 1) {
			direct.put(source);
		}
		else {
			for (int i = source.position(); i < source.limit(); i += size) {
				for (int b = size - 1; b >= 0; b--) {
					direct.put(source.get(i + b));
				}
			}
		}
		return new RequestTensor(name, datatype, shape, direct.flip(), null);
	}

	private static String[] strings(String subject, ByteBuffer bytes) {
		ByteBuffer source = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		List<String> strings = new ArrayList<>();
		while (source.hasRemaining()) {
			if (source.remaining() < 4) {
				throw OpenInferenceException.badRequest(subject + ": BYTES element " + strings.size()
						+ " has no whole 4-byte length (" + source.remaining() + " bytes left)");
			}
			long length = source.getInt() & 0xFFFFFFFFL;
			if (length > source.remaining()) {
				throw OpenInferenceException.badRequest(subject + ": BYTES element " + strings.size() + " says "
						+ length + " bytes, " + source.remaining() + " are left");
			}
			byte[] element = new byte[(int) length];
			source.get(element);
			strings.add(new String(element, StandardCharsets.UTF_8));
		}
		return strings.toArray(String[]::new);
	}

	/**
	 * The bytes of an output.
	 * @param tensor the output
	 * @return its elements as bytes, little-endian
	 */
	public static byte[] bytes(ResponseTensor tensor) {
		String[] strings = tensor.strings();
		if (strings != null) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
			for (String string : strings) {
				byte[] element = string.getBytes(StandardCharsets.UTF_8);
				out.writeBytes(length.clear().putInt(element.length).array());
				out.writeBytes(element);
			}
			return out.toByteArray();
		}
		ByteBuffer data = tensor.data();
		byte[] bytes = new byte[(data != null) ? data.remaining() : 0];
		if (data != null) {
			data.duplicate().get(bytes);
		}
		return bytes;
	}

}
