package io.github.onnxgpu.boot.internal.batching;

/**
 * What a model's batcher has done so far.
 *
 * @param queueDepth runs waiting now
 * @param batches batches run
 * @param requests runs served in batches
 * @param samples samples served in batches, along the batch dimension
 * @param refusedQueueFull runs refused because the queue was full
 * @param refusedTimeout runs refused because they waited too long
 * @param refusedShuttingDown runs refused at shutdown
 * @param workers how many batches run at once
 */
public record BatchingStats(int queueDepth, long batches, long requests, long samples, long refusedQueueFull,
		long refusedTimeout, long refusedShuttingDown, int workers) {

	/**
	 * The mean number of runs per batch.
	 * @return the mean, 0 before the first batch
	 */
	public double meanBatchSize() {
		return (this.batches > 0) ? (double) this.requests / this.batches : 0;
	}

}
