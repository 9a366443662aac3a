package io.github.onnxgpu.boot.internal.batching;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import ai.onnxruntime.OnnxJavaType;
import org.jspecify.annotations.Nullable;

/**
 * One caller's run waiting for a batch: its inputs' bytes (views on the caller's own
 * tensors for a run whose caller waits, copies for one that does not, so that the caller
 * may close its tensors), what it can be batched with, and the future its slices
 * complete.
 */
final class PendingRun {

	enum State {

		QUEUED, TAKEN, EXPIRED, REFUSED, WITHDRAWN

	}

	final Map<String, Buffer> data;

	final Map<String, long[]> shapes;

	final int count;

	final List<String> outputs;

	final BatchKey key;

	final long arrival;

	final long deadline;

	// the caller's own deadline when it is shorter than batching.timeout
	final @Nullable Duration ownTimeout;

	final CompletableFuture<Map<String, Slice>> slices = new CompletableFuture<>();

	// guarded by the batcher's lock
	State state = State.QUEUED;

	volatile @Nullable ScheduledFuture<?> expiry;

	PendingRun(Map<String, Buffer> data, Map<String, long[]> shapes, int count, List<String> outputs, BatchKey key,
			long arrival, long deadline, @Nullable Duration ownTimeout) {
		this.data = data;
		this.shapes = shapes;
		this.count = count;
		this.outputs = outputs;
		this.key = key;
		this.arrival = arrival;
		this.deadline = deadline;
		this.ownTimeout = ownTimeout;
	}

	/**
	 * What a run can be batched with: the same outputs, the same dimensions outside the
	 * batch dimension, and equal values of the control inputs.
	 */
	static final class BatchKey {

		private final List<String> outputs;

		private final long[][] shapes;

		private final @Nullable ByteBuffer[] controls;

		private final int hash;

		/**
		 * Create a key.
		 * @param outputs the requested outputs, in order
		 * @param shapes each input's shape, its batch dimension set to -1
		 * @param controls each control input's bytes, {@code null} for a stacked input
		 */
		BatchKey(List<String> outputs, long[][] shapes, @Nullable ByteBuffer[] controls) {
			this.outputs = outputs;
			this.shapes = shapes;
			this.controls = controls;
			this.hash = outputs.hashCode() * 31 + Arrays.deepHashCode(shapes);
		}

		@Override
		public boolean equals(@Nullable Object other) {
			if (this == other) {
				return true;
			}
			if (!(other instanceof BatchKey that) || that.hash != this.hash) {
				return false;
			}
			return this.outputs.equals(that.outputs) && Arrays.deepEquals(this.shapes, that.shapes)
					&& Arrays.equals(this.controls, that.controls);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

	/**
	 * A caller's part of one output.
	 *
	 * @param data the bytes, direct, from position 0
	 * @param shape the shape, with the caller's batch count
	 * @param type the element type
	 */
	record Slice(ByteBuffer data, long[] shape, OnnxJavaType type) {

	}

}
