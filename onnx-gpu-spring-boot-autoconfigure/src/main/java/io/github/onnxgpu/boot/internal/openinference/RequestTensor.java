package io.github.onnxgpu.boot.internal.openinference;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * An input tensor as a request carried it, decoded but not yet checked against the model.
 *
 * @param name the input's name
 * @param datatype the datatype the request gave
 * @param shape the shape the request gave
 * @param data the elements in native byte order, or {@code null} for
 * {@link Datatype#BYTES}
 * @param strings the elements of a {@link Datatype#BYTES} tensor, or {@code null}
 */
public record RequestTensor(String name, Datatype datatype, long[] shape, @Nullable ByteBuffer data,
		String @Nullable [] strings) {

	/**
	 * How many elements the request carried.
	 * @return the count
	 */
	public long elementCount() {
		if (this.strings != null) {
			return this.strings.length;
		}
		return (this.data != null) ? this.data.remaining() / this.datatype.size() : 0;
	}

}
