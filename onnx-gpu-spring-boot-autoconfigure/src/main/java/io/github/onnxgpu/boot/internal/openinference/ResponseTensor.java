package io.github.onnxgpu.boot.internal.openinference;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * An output tensor to answer with, copied out of ONNX Runtime's result.
 *
 * @param name the output's name
 * @param datatype its datatype
 * @param shape its shape
 * @param data the elements in little-endian byte order, row-major, or {@code null} for
 * {@link Datatype#BYTES}
 * @param strings the elements of a {@link Datatype#BYTES} tensor, or {@code null}
 */
public record ResponseTensor(String name, Datatype datatype, long[] shape, @Nullable ByteBuffer data,
		String @Nullable [] strings) {

	/**
	 * The number of elements.
	 * @return the count
	 */
	public int elementCount() {
		if (this.strings != null) {
			return this.strings.length;
		}
		return (this.data != null) ? this.data.remaining() / this.datatype.size() : 0;
	}

}
