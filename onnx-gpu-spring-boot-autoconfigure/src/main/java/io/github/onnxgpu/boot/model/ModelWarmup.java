package io.github.onnxgpu.boot.model;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of a model's last warmup ({@link OnnxModel#warmup()}): at start-up, or of
 * the version a reload swapped in.
 *
 * @param startedAt when it started
 * @param finishedAt when it finished
 * @param shapes how many warmup shapes and samples ran
 * @param error why it failed, {@code null} when it succeeded
 * @since 0.1.0
 */
public record ModelWarmup(Instant startedAt, Instant finishedAt, int shapes, @Nullable String error) {

	/**
	 * Wall time of the whole warmup.
	 * @return the duration
	 */
	public Duration duration() {
		return Duration.between(this.startedAt, this.finishedAt);
	}

	/**
	 * Whether every warmup shape and sample ran.
	 * @return whether it succeeded
	 */
	public boolean succeeded() {
		return this.error == null;
	}

}
