package io.github.onnxgpu.boot.internal.session;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.EnumSet;
import java.util.Set;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.BoundTensor;

/**
 * The starter's {@link BoundTensor}: a typed view of a binding's memory, or of an output
 * ONNX Runtime returned.
 */
final class DefaultBoundTensor implements BoundTensor {

	private static final Set<OnnxJavaType> FLOATS = EnumSet.of(OnnxJavaType.FLOAT);

	private static final Set<OnnxJavaType> DOUBLES = EnumSet.of(OnnxJavaType.DOUBLE);

	private static final Set<OnnxJavaType> LONGS = EnumSet.of(OnnxJavaType.INT64);

	private static final Set<OnnxJavaType> INTS = EnumSet.of(OnnxJavaType.INT32);

	private static final Set<OnnxJavaType> SHORTS = EnumSet.of(OnnxJavaType.INT16, OnnxJavaType.FLOAT16,
			OnnxJavaType.BFLOAT16);

	private static final Set<OnnxJavaType> BYTES = EnumSet.of(OnnxJavaType.INT8, OnnxJavaType.UINT8, OnnxJavaType.BOOL);

	private final String modelName;

	private final String kind;

	private final String name;

	private final OnnxTensor tensor;

	private final OnnxJavaType type;

	private final long[] shape;

	// null for an output ONNX Runtime allocated: its values are copied out on request
	private final @Nullable ByteBuffer memory;

	private final @Nullable Buffer view;

	private final boolean recorded;

	private DefaultBoundTensor(String modelName, String kind, String name, OnnxTensor tensor, OnnxJavaType type,
			long[] shape, @Nullable ByteBuffer memory, boolean recorded) {
		this.modelName = modelName;
		this.kind = kind;
		this.name = name;
		this.tensor = tensor;
		this.type = type;
		this.shape = shape;
		this.memory = memory;
		this.view = (memory != null) ? typedView(memory, type) : null;
		this.recorded = recorded;
	}

	/**
	 * A tensor over memory of its own, for an input or a pinned output.
	 * @param modelName the model, for messages
	 * @param kind {@code input} or {@code output}
	 * @param name the input's or output's name
	 * @param tensor the tensor over the memory
	 * @param type the element type
	 * @param shape the dimensions
	 * @param memory the direct, native-order memory
	 * @param recorded whether the shape is a warmup's record rather than the model's
	 * @return the bound tensor
	 */
	static DefaultBoundTensor owned(String modelName, String kind, String name, OnnxTensor tensor, OnnxJavaType type,
			long[] shape, ByteBuffer memory, boolean recorded) {
		return new DefaultBoundTensor(modelName, kind, name, tensor, type, shape, memory, recorded);
	}

	/**
	 * An output ONNX Runtime allocated for one run.
	 * @param modelName the model, for messages
	 * @param name the output's name
	 * @param tensor the output
	 * @return the bound tensor
	 */
	static DefaultBoundTensor returned(String modelName, String name, OnnxTensor tensor) {
		return new DefaultBoundTensor(modelName, "output", name, tensor, tensor.getInfo().type,
				tensor.getInfo().getShape(), null, false);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public OnnxJavaType type() {
		return this.type;
	}

	/**
	 * The dimensions.
	 * @return a copy of the dimensions
	 */
	@Override
	public long[] shape() {
		return this.shape.clone();
	}

	/**
	 * Whether ONNX Runtime reads or writes this tensor's memory in place: always for an
	 * input, for an output when it is pinned.
	 * @return whether the memory is the binding's own
	 */
	@Override
	public boolean isBound() {
		return this.memory != null;
	}

	/**
	 * The ONNX Runtime tensor, valid until the binding is closed (or, for an output that
	 * is not pinned, until the next run).
	 * @return the tensor
	 */
	@Override
	public OnnxTensor tensor() {
		return this.tensor;
	}

	/**
	 * The values of a {@code FLOAT} tensor.
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	@Override
	public FloatBuffer asFloatBuffer() {
		check(FLOATS, "asFloatBuffer");
		return (this.view != null) ? (FloatBuffer) this.view.clear() : this.tensor.getFloatBuffer();
	}

	/**
	 * The values of a {@code DOUBLE} tensor.
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	@Override
	public DoubleBuffer asDoubleBuffer() {
		check(DOUBLES, "asDoubleBuffer");
		return (this.view != null) ? (DoubleBuffer) this.view.clear() : this.tensor.getDoubleBuffer();
	}

	/**
	 * The values of an {@code INT64} tensor.
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	@Override
	public LongBuffer asLongBuffer() {
		check(LONGS, "asLongBuffer");
		return (this.view != null) ? (LongBuffer) this.view.clear() : this.tensor.getLongBuffer();
	}

	/**
	 * The values of an {@code INT32} tensor.
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	@Override
	public IntBuffer asIntBuffer() {
		check(INTS, "asIntBuffer");
		return (this.view != null) ? (IntBuffer) this.view.clear() : this.tensor.getIntBuffer();
	}

	/**
	 * The values of an {@code INT16} tensor, or the bits of a {@code FLOAT16} or
	 * {@code BFLOAT16} one.
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	@Override
	public ShortBuffer asShortBuffer() {
		check(SHORTS, "asShortBuffer");
		return (this.view != null) ? (ShortBuffer) this.view.clear() : this.tensor.getShortBuffer();
	}

	/**
	 * The values of an {@code INT8}, {@code UINT8} or {@code BOOL} tensor (0 or 1).
	 * @return the buffer, at position 0
	 * @throws IllegalStateException when the tensor is of another type
	 */
	@Override
	public ByteBuffer asByteBuffer() {
		check(BYTES, "asByteBuffer");
		return (this.view != null) ? (ByteBuffer) this.view.clear() : this.tensor.getByteBuffer();
	}

	boolean isRecorded() {
		return this.recorded;
	}

	void close() {
		this.tensor.close();
	}

	private void check(Set<OnnxJavaType> types, String view) {
		if (!types.contains(this.type)) {
			throw new IllegalStateException("ONNX model '" + this.modelName + "': " + this.kind + " '" + this.name
					+ "' is " + this.type + ", which " + view + "() cannot show; use " + viewFor(this.type) + "()");
		}
	}

	private static String viewFor(OnnxJavaType type) {
		return switch (type) {
			case FLOAT -> "asFloatBuffer";
			case DOUBLE -> "asDoubleBuffer";
			case INT64 -> "asLongBuffer";
			case INT32 -> "asIntBuffer";
			case INT16, FLOAT16, BFLOAT16 -> "asShortBuffer";
			case INT8, UINT8, BOOL -> "asByteBuffer";
			default -> "tensor";
		};
	}

	private static Buffer typedView(ByteBuffer memory, OnnxJavaType type) {
		return switch (type) {
			case FLOAT -> memory.asFloatBuffer();
			case DOUBLE -> memory.asDoubleBuffer();
			case INT64 -> memory.asLongBuffer();
			case INT32 -> memory.asIntBuffer();
			case INT16, FLOAT16, BFLOAT16 -> memory.asShortBuffer();
			default -> memory.duplicate();
		};
	}

}
