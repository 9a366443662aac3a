package io.github.onnxgpu.boot.internal.warmup.npy;

import java.nio.ByteBuffer;

import ai.onnxruntime.OnnxJavaType;

/**
 * An array read from a NumPy {@code .npy} file, ready for
 * {@code OnnxTensor.createTensor(environment, data, shape, type)}.
 *
 * @param type the element type
 * @param shape the dimensions, empty for a scalar
 * @param data the elements in C order: a direct buffer in native byte order, positioned
 * at 0
 */
public record NpyArray(OnnxJavaType type, long[] shape, ByteBuffer data) {

	/**
	 * The number of elements.
	 * @return the product of the dimensions (1 for a scalar)
	 */
	public long elementCount() {
		return NpyReader.elementCount(this.shape);
	}

}
