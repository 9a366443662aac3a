package io.github.onnxgpu.boot.model;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One reload of a model from its configured location: what asked for it, what it did and
 * what it read.
 *
 * @param outcome what it did
 * @param reason why it failed or was refused, {@code null} when swapped
 * @param trigger what asked for it: {@code endpoint}, {@code poll} or {@code api}
 * ({@link OnnxModelRegistry#reload})
 * @param startedAt when it started
 * @param duration how long it took
 * @param sha256 the SHA-256 of the file it read, {@code null} when it could not be read
 * @since 0.1.0
 */
public record ReloadAttempt(ReloadOutcome outcome, @Nullable String reason, String trigger, Instant startedAt,
		Duration duration, @Nullable String sha256) {

}
