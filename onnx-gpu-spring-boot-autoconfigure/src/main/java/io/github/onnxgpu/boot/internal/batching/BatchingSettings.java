package io.github.onnxgpu.boot.internal.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * How one model's runs are batched.
 *
 * @param enabled whether runs are batched
 * @param maxBatchSize the most samples in one batch
 * @param maxDelay the longest the first run of a batch waits for others
 * @param queueSize the most runs waiting; beyond it a caller is refused at once
 * @param timeout the longest a run may wait in the queue
 * @param workers how many batches run at once, {@code null} for the starter's choice
 * @param dimensions the batch dimension of inputs and outputs where it is not 0
 */
public record BatchingSettings(boolean enabled, int maxBatchSize, Duration maxDelay, int queueSize, Duration timeout,
		@Nullable Integer workers, Map<String, Integer> dimensions) {

	public BatchingSettings {
		dimensions = Map.copyOf(dimensions);
	}

	/**
	 * Settings that batch nothing.
	 * @return disabled batching
	 */
	public static BatchingSettings disabled() {
		return new BatchingSettings(false, 1, Duration.ZERO, 1, Duration.ofSeconds(1), null, Map.of());
	}

	/**
	 * The batch sizes the batcher forms, each warmed at start-up: the powers of two below
	 * {@link #maxBatchSize()}, and {@link #maxBatchSize()} itself. Only warmed sizes are
	 * formed, so that no batch meets a cold shape (a cuDNN algorithm search, a TensorRT
	 * profile miss) under load.
	 * @return the sizes, ascending
	 */
	public List<Integer> batchSizes() {
		TreeSet<Integer> sizes = new TreeSet<>();
		for (int size = 1; size < this.maxBatchSize; size *= 2) {
			sizes.add(size);
		}
		sizes.add(this.maxBatchSize);
		return new ArrayList<>(sizes);
	}

}
