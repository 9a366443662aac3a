package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Settings of dynamic batching, under {@code onnx.batching} for all models and under
 * {@code onnx.models.<name>.batching} for one. The initialisers of the fields are the
 * defaults, which {@link OnnxProperties.Batching} keeps; a model's
 * {@link OnnxModelProperties.Batching} starts with every setting unset ({@code null}),
 * and an unset setting inherits the shared one (see {@link Inheritance}).
 *
 * @since 0.1.0
 */
public abstract class BatchingOptions {

	/**
	 * Most samples in one batch, along the batch dimension. Batches are formed at the
	 * sizes warmed at start-up: the powers of two below it, and itself.
	 */
	private @Nullable Integer maxBatchSize = 16;

	/**
	 * Longest the first run of a batch waits for others to join. 0 runs whatever is
	 * queued as soon as a batch worker is free.
	 */
	private @Nullable Duration maxDelay = Duration.ZERO;

	/**
	 * Most runs waiting for a batch; beyond it a caller is refused at once with an
	 * OnnxModelBusyException.
	 */
	private @Nullable Integer queueSize = 256;

	/**
	 * Longest a run may wait in the queue before it is refused with an
	 * OnnxModelBusyException.
	 */
	private @Nullable Duration timeout = Duration.ofSeconds(1);

	/**
	 * Batches run at once. Unset: one per core on the CPU (each session then gets an
	 * equal share of the cores as intra-op threads), one per instance on a GPU.
	 */
	private @Nullable Integer workers;

	/**
	 * Create the settings.
	 * @param defaults whether they start at their defaults; otherwise every setting
	 * starts unset, to inherit
	 */
	BatchingOptions(boolean defaults) {
		if (!defaults) {
			this.maxBatchSize = null;
			this.maxDelay = null;
			this.queueSize = null;
			this.timeout = null;
		}
	}

	public @Nullable Integer getMaxBatchSize() {
		return this.maxBatchSize;
	}

	public void setMaxBatchSize(@Nullable Integer maxBatchSize) {
		this.maxBatchSize = maxBatchSize;
	}

	public @Nullable Duration getMaxDelay() {
		return this.maxDelay;
	}

	public void setMaxDelay(@Nullable Duration maxDelay) {
		this.maxDelay = maxDelay;
	}

	public @Nullable Integer getQueueSize() {
		return this.queueSize;
	}

	public void setQueueSize(@Nullable Integer queueSize) {
		this.queueSize = queueSize;
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public @Nullable Integer getWorkers() {
		return this.workers;
	}

	public void setWorkers(@Nullable Integer workers) {
		this.workers = workers;
	}

}
