package io.github.onnxgpu.boot.internal.tuning;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one model's tuning.
 *
 * @param status where the model's settings came from
 * @param chosen the index of the candidate that serves the model, {@code null} when none
 * does
 * @param candidates every candidate in order, with what was measured
 * @param cacheDirectory the folder of the tuning cache, {@code null} when the cache is
 * off
 * @param cacheHit whether the choice was read from the cache
 * @param tuningMillis how long tuning took, {@code null} when it did not run
 * @param message why tuning did not apply or failed, {@code null} otherwise
 */
public record TuningReport(TuningStatus status, @Nullable Integer chosen, List<CandidateMeasurement> candidates,
		@Nullable Path cacheDirectory, boolean cacheHit, @Nullable Double tuningMillis, @Nullable String message) {

	public TuningReport {
		candidates = List.copyOf(candidates);
	}

	/**
	 * The report of a model that is not tuned.
	 * @param message why, {@code null} when tuning is simply off
	 * @return the report
	 */
	public static TuningReport disabled(@Nullable String message) {
		return new TuningReport(TuningStatus.DISABLED, null, List.of(), null, false, null, message);
	}

}
