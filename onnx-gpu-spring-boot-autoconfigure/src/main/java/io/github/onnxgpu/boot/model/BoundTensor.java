package io.github.onnxgpu.boot.model;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;

/**
 * One input or output of an {@link OnnxBinding}, seen through a typed buffer. Inputs and
 * pinned outputs are views of the binding's own direct, native-order memory, which ONNX
 * Runtime reads and writes in place: each call returns the same view reset to position 0,
 * valid until the binding is closed. An output that is not pinned is a copy of what ONNX
 * Runtime returned for the last run.
 *
 * @since 0.1.0
 */
public interface BoundTensor {

	/**
	 * The input's or output's name.
	 * @return the name
	 */
	String name();

	/**
	 * The element type.
	 * @return the type
	 */
	OnnxJavaType type();

	/**
	 * The dimensions.
	 * @return a copy of the dimensions
	 */
	long[] shape();

	/**
	 * Whether ONNX Runtime reads or writes this tensor's memory in place: always for an
	 * input, for an output when it is pinned.
	 * @return whether the memory is the binding's own
	 */
	boolean isBound();

	/**
	 * The ONNX Runtime tensor, valid until the binding is closed (or, for an output that
	 * is not pinned, until the next run).
	 * @return the tensor
	 */
	OnnxTensor tensor();

	/**
	 * The values of a {@code FLOAT} tensor.
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	FloatBuffer asFloatBuffer();

	/**
	 * The values of a {@code DOUBLE} tensor.
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	DoubleBuffer asDoubleBuffer();

	/**
	 * The values of an {@code INT64} tensor.
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	LongBuffer asLongBuffer();

	/**
	 * The values of an {@code INT32} tensor.
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	IntBuffer asIntBuffer();

	/**
	 * The values of an {@code INT16} tensor, or the bits of a {@code FLOAT16} or
	 * {@code BFLOAT16} one.
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	ShortBuffer asShortBuffer();

	/**
	 * The values of an {@code INT8}, {@code UINT8} or {@code BOOL} tensor (0 or 1).
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	ByteBuffer asByteBuffer();

}
