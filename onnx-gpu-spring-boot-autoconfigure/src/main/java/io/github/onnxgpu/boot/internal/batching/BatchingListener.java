package io.github.onnxgpu.boot.internal.batching;

import io.github.onnxgpu.boot.model.OnnxModelBusyException;

/**
 * Hears what a model's batcher does, for metrics. Called on the batcher's and callers'
 * threads: implementations must be quick and thread-safe.
 */
public interface BatchingListener {

	/**
	 * A batch ran.
	 * @param requests how many runs it held
	 * @param samples how many samples it held along the batch dimension
	 */
	default void batchRun(int requests, int samples) {
	}

	/**
	 * A run left the queue for a batch.
	 * @param nanos how long it waited
	 */
	default void queued(long nanos) {
	}

	/**
	 * A run was refused.
	 * @param reason why
	 */
	default void refused(OnnxModelBusyException.Reason reason) {
	}

}
