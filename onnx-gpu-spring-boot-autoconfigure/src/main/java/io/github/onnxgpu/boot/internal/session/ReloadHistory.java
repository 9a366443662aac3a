package io.github.onnxgpu.boot.internal.session;

import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.ReloadAttempt;
import io.github.onnxgpu.boot.model.ReloadOutcome;

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

}
