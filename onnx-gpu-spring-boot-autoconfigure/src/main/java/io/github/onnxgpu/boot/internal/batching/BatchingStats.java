package io.github.onnxgpu.boot.internal.batching;

/**
 * What a model's batcher has done so far.
 *
 * @param queueDepth runs counted against {@code queue-size} now: those waiting for a
 * batch and those running alone
 * @param batches batches run
 * @param requests runs served in batches
 * @param samples samples served in batches, along the batch dimension
 * @param refusedQueueFull runs refused because the queue was full
 * @param refusedTimeout runs refused because they waited too long
 * @param refusedShuttingDown runs refused at shutdown
 * @param workers how many batches run at once
 * @param aloneRuns runs that went alone, outside a batch (more samples than
 * {@code max-batch-size}, pinned outputs, inputs that are not plain tensors), counted
 * against {@code queue-size}
 * @param running runs going alone now, part of {@code queueDepth}
 * @param refusedInvalid runs refused at once because their inputs do not fit the model
 * @param isolatedBatches batches that failed in ONNX Runtime and were run again one run
 * at a time, so that only the failing callers failed
 * @param withdrawn runs that left the queue because their caller was interrupted or
 * cancelled them
 */
public record BatchingStats(int queueDepth, long batches, long requests, long samples, long refusedQueueFull,
		long refusedTimeout, long refusedShuttingDown, int workers, long aloneRuns, int running, long refusedInvalid,
		long isolatedBatches, long withdrawn) {

	/**
	 * The mean number of runs per batch.
	 * @return the mean, 0 before the first batch
	 */
	public double meanBatchSize() {
		return (this.batches > 0) ? (double) this.requests / this.batches : 0;
	}

}
