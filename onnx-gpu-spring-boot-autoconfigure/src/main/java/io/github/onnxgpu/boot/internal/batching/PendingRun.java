package io.github.onnxgpu.boot.internal.batching;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import ai.onnxruntime.OnnxJavaType;
import org.jspecify.annotations.Nullable;

/**
 * One caller's run waiting for a batch: a copy of its inputs (so that the caller may
 * close its tensors as after any run), what it can be batched with, and the future its
 * slices complete.
 */
final class PendingRun {

	enum State {

		QUEUED, TAKEN, EXPIRED, REFUSED

	}

	final Map<String, ByteBuffer> data;

	final Map<String, long[]> shapes;

	final int count;

	final List<String> outputs;

	final BatchKey key;

	final long arrival;

	final CompletableFuture<Map<String, Slice>> slices = new CompletableFuture<>();

	// guarded by the batcher's lock
	State state = State.QUEUED;

	volatile @Nullable ScheduledFuture<?> expiry;

	PendingRun(Map<String, ByteBuffer> data, Map<String, long[]> shapes, int count, List<String> outputs, BatchKey key,
			long arrival) {
		this.data = data;
		this.shapes = shapes;
		this.count = count;
		this.outputs = outputs;
		this.key = key;
		this.arrival = arrival;
	}

	/**
	 * What a run can be batched with: the same outputs, the same dimensions outside the
	 * batch dimension, and equal values of the control inputs.
	 *
	 * @param outputs the requested outputs, in order
	 * @param parts each input's shape without its batch dimension, and each control
	 * input's bytes
	 */
	record BatchKey(List<String> outputs, List<Object> parts) {

	}

	/**
	 * A caller's part of one output.
	 *
	 * @param data the bytes
	 * @param shape the shape, with the caller's batch count
	 * @param type the element type
	 */
	record Slice(ByteBuffer data, long[] shape, OnnxJavaType type) {

	}

}
