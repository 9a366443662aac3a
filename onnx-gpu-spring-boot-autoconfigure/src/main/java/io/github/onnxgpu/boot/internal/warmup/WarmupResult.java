package io.github.onnxgpu.boot.internal.warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one model's warmup.
 *
 * @param startedAt when it started
 * @param finishedAt when it finished
 * @param samples the timed runs of each shape that ran, in order
 * @param error why it failed, {@code null} when it succeeded
 */
public record WarmupResult(Instant startedAt, Instant finishedAt, List<ShapeTimings> samples, @Nullable String error) {

	public WarmupResult {
		samples = List.copyOf(samples);
	}

	/**
	 * Wall time of the whole warmup.
	 * @return the duration
	 */
	public Duration duration() {
		return Duration.between(this.startedAt, this.finishedAt);
	}

	/**
	 * Whether every sample ran.
	 * @return whether it succeeded
	 */
	public boolean succeeded() {
		return this.error == null;
	}

}
