package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The reloads of one model: how many were swapped in or refused, and the last attempt.
 */
public final class ReloadHistory {

	private final LongAdder swapped = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private volatile @Nullable ReloadAttempt last;

	/**
	 * The reloads swapped in.
	 * @return the count
	 */
	public long swapped() {
		return this.swapped.sum();
	}

	/**
	 * The reloads refused, the old version kept serving.
	 * @return the count
	 */
	public long failed() {
		return this.failed.sum();
	}

	/**
	 * The last reload attempt.
	 * @return the attempt, {@code null} before the first one
	 */
	public @Nullable ReloadAttempt last() {
		return this.last;
	}

	void record(ReloadAttempt attempt) {
		if (attempt.outcome() == ReloadOutcome.SWAPPED) {
			this.swapped.increment();
		}
		else if (attempt.outcome() == ReloadOutcome.FAILED) {
			this.failed.increment();
		}
		this.last = attempt;
	}

	/**
	 * What a reload did.
	 */
	public enum ReloadOutcome {

		/**
		 * The new version was loaded, checked, warmed and swapped in.
		 */
		SWAPPED,

		/**
		 * The new version was refused (the reason says why); the old one keeps serving.
		 */
		FAILED,

		/**
		 * Another reload of the model was running, or its start-up warmup, or the
		 * application is shutting down: this one was refused without trying.
		 */
		BUSY

	}

	/**
	 * One reload attempt.
	 *
	 * @param outcome what it did
	 * @param reason why it failed or was refused, {@code null} when swapped
	 * @param trigger what asked for it: {@code endpoint}, {@code poll} or {@code api}
	 * @param startedAt when it started
	 * @param duration how long it took
	 * @param sha256 the SHA-256 of the file it read, {@code null} when it could not be
	 * read
	 */
	public record ReloadAttempt(ReloadOutcome outcome, @Nullable String reason, String trigger, Instant startedAt,
			Duration duration, @Nullable String sha256) {

	}

}
