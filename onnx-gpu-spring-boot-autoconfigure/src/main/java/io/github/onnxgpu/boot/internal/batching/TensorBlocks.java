package io.github.onnxgpu.boot.internal.batching;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.List;

import ai.onnxruntime.OnnxJavaType;

/**
 * Stacks the inputs of several runs along a batch dimension and splits a batch's outputs
 * back, in ONNX Runtime's row-major layout. For a batch dimension {@code d}, the elements
 * before it form {@code outer} blocks; in each, a run owns a contiguous stretch of its
 * batch count times the {@code inner} elements after it. Inputs are stacked as typed
 * buffers (what a tensor holds: {@code OnnxTensor.getBufferRef()}, no copy), outputs are
 * split as bytes.
 */
final class TensorBlocks {

	private TensorBlocks() {
	}

	/**
	 * The elements of one batch position after the batch dimension.
	 * @param shape a run's shape
	 * @param dimension the batch dimension
	 * @return the elements
	 */
	static long inner(long[] shape, int dimension) {
		long inner = 1;
		for (int d = dimension + 1; d < shape.length; d++) {
			inner = Math.multiplyExact(inner, shape[d]);
		}
		return inner;
	}

	static long outer(long[] shape, int dimension) {
		long outer = 1;
		for (int d = 0; d < dimension; d++) {
			outer = Math.multiplyExact(outer, shape[d]);
		}
		return outer;
	}

	/**
	 * Stack the runs' elements into a buffer.
	 * @param parts each run's elements, from position 0, of the target's element type
	 * @param counts each run's batch count
	 * @param outer the blocks before the batch dimension
	 * @param inner elements per batch position
	 * @param target where to write, from index 0, at least the sum's size
	 */
	static void stack(List<Buffer> parts, int[] counts, long outer, long inner, Buffer target) {
		int at = 0;
		for (long block = 0; block < outer; block++) {
			for (int run = 0; run < parts.size(); run++) {
				int length = Math.toIntExact(counts[run] * inner);
				put(target, at, parts.get(run), Math.toIntExact(block * length), length);
				at += length;
			}
		}
	}

	/**
	 * Split a batch's bytes into each run's, as views on one buffer: on the batch's own
	 * when each run's part is contiguous ({@code outer} 1), else on one copy that lays
	 * each run's part out contiguously.
	 * @param batch the batch's bytes, direct, from position 0
	 * @param counts each run's batch count
	 * @param outer the blocks before the batch dimension
	 * @param innerBytes bytes per batch position
	 * @return each run's bytes, direct, in native order
	 */
	static ByteBuffer[] split(ByteBuffer batch, int[] counts, long outer, long innerBytes) {
		int total = 0;
		for (int count : counts) {
			total += count;
		}
		int size = Math.toIntExact(outer * total * innerBytes);
		if (batch.limit() < size) {
			throw new IllegalStateException("Batch of " + batch.limit() + " bytes does not split into " + total
					+ " samples of " + outer * innerBytes + " bytes");
		}
		ByteBuffer source = batch;
		if (outer > 1) {
			source = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
			int[] starts = new int[counts.length];
			int start = 0;
			for (int run = 0; run < counts.length; run++) {
				starts[run] = start;
				start += Math.toIntExact(outer * counts[run] * innerBytes);
			}
			int offset = 0;
			for (long block = 0; block < outer; block++) {
				for (int run = 0; run < counts.length; run++) {
					int length = Math.toIntExact(counts[run] * innerBytes);
					source.put(starts[run], batch, offset, length);
					starts[run] += length;
					offset += length;
				}
			}
		}
		ByteBuffer[] parts = new ByteBuffer[counts.length];
		int from = 0;
		for (int run = 0; run < counts.length; run++) {
			int length = Math.toIntExact(outer * counts[run] * innerBytes);
			parts[run] = source.slice(from, length).order(ByteOrder.nativeOrder());
			from += length;
		}
		return parts;
	}

	/**
	 * A typed view of bytes, as ONNX Runtime's Java API types a tensor's buffer.
	 * @param bytes the bytes
	 * @param type the element type
	 * @return the view, from the bytes' position
	 */
	static Buffer typed(ByteBuffer bytes, OnnxJavaType type) {
		ByteBuffer ordered = bytes.duplicate().order(ByteOrder.nativeOrder());
		return switch (type) {
			case FLOAT -> ordered.asFloatBuffer();
			case DOUBLE -> ordered.asDoubleBuffer();
			case INT16, FLOAT16, BFLOAT16 -> ordered.asShortBuffer();
			case INT32 -> ordered.asIntBuffer();
			case INT64 -> ordered.asLongBuffer();
			default -> ordered;
		};
	}

	private static void put(Buffer target, int index, Buffer source, int offset, int length) {
		if (target instanceof FloatBuffer floats && source instanceof FloatBuffer from) {
			floats.put(index, from, offset, length);
		}
		else if (target instanceof DoubleBuffer doubles && source instanceof DoubleBuffer from) {
			doubles.put(index, from, offset, length);
		}
		else if (target instanceof ShortBuffer shorts && source instanceof ShortBuffer from) {
			shorts.put(index, from, offset, length);
		}
		else if (target instanceof IntBuffer ints && source instanceof IntBuffer from) {
			ints.put(index, from, offset, length);
		}
		else if (target instanceof LongBuffer longs && source instanceof LongBuffer from) {
			longs.put(index, from, offset, length);
		}
		else if (target instanceof ByteBuffer bytes && source instanceof ByteBuffer from) {
			bytes.put(index, from, offset, length);
		}
		else {
			throw new IllegalArgumentException("Cannot stack a " + source.getClass().getSimpleName() + " into a "
					+ target.getClass().getSimpleName());
		}
	}

}
