package io.github.onnxgpu.boot.internal.batching;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Stacks the inputs of several runs along a batch dimension and splits a batch's outputs
 * back, on the tensors' bytes in ONNX Runtime's row-major layout. For a batch dimension
 * {@code d}, the elements before it form {@code outer} blocks; in each, a run owns a
 * contiguous stretch of its batch count times the {@code inner} elements after it.
 */
final class TensorBlocks {

	private TensorBlocks() {
	}

	/**
	 * The bytes of one batch position's elements after the batch dimension.
	 * @param shape a run's shape
	 * @param dimension the batch dimension
	 * @param elementSize bytes per element
	 * @return the bytes
	 */
	static long innerBytes(long[] shape, int dimension, int elementSize) {
		long inner = elementSize;
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
	 * Stack the runs' bytes into a buffer.
	 * @param parts each run's bytes, from position 0
	 * @param counts each run's batch count
	 * @param outer the blocks before the batch dimension
	 * @param innerBytes bytes per batch position
	 * @param target where to write, at least the sum's size, written from position 0
	 */
	static void stack(List<ByteBuffer> parts, int[] counts, long outer, long innerBytes, ByteBuffer target) {
		target.clear();
		for (long block = 0; block < outer; block++) {
			for (int run = 0; run < parts.size(); run++) {
				int length = Math.toIntExact(counts[run] * innerBytes);
				ByteBuffer part = parts.get(run);
				int from = Math.toIntExact(block * length);
				target.put(target.position(), part, from, length);
				target.position(target.position() + length);
			}
		}
		target.flip();
	}

	/**
	 * Split a batch's bytes into each run's.
	 * @param batch the batch's bytes, from position 0
	 * @param counts each run's batch count
	 * @param outer the blocks before the batch dimension
	 * @param innerBytes bytes per batch position
	 * @return each run's bytes, in native order
	 */
	static ByteBuffer[] split(ByteBuffer batch, int[] counts, long outer, long innerBytes) {
		int total = 0;
		for (int count : counts) {
			total += count;
		}
		ByteBuffer[] parts = new ByteBuffer[counts.length];
		for (int run = 0; run < counts.length; run++) {
			// direct: ONNX Runtime takes a tensor's typed buffer as it is only when
			// direct
			parts[run] = ByteBuffer.allocateDirect(Math.toIntExact(outer * counts[run] * innerBytes))
				.order(ByteOrder.nativeOrder());
		}
		int offset = 0;
		for (long block = 0; block < outer; block++) {
			for (int run = 0; run < counts.length; run++) {
				int length = Math.toIntExact(counts[run] * innerBytes);
				parts[run].put(parts[run].position(), batch, offset, length);
				parts[run].position(parts[run].position() + length);
				offset += length;
			}
		}
		for (ByteBuffer part : parts) {
			part.flip();
		}
		if (offset != Math.toIntExact(outer * total * innerBytes)) {
			throw new IllegalStateException("Batch of " + offset + " bytes does not split into " + total + " samples");
		}
		return parts;
	}

}
