package io.github.onnxgpu.boot.internal.tuning;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What tuning found for one candidate.
 *
 * @param settings the candidate's overrides as written
 * @param samples its timings per warmup sample, empty when it was not measured
 * @param sumP50Millis the sum over the samples of the median run, {@code null} when it
 * was not measured
 * @param warmupMillis how long its warmup took, {@code null} when it did not run
 * @param error why it failed or was not tried, {@code null} when it was measured
 */
public record CandidateMeasurement(Map<String, String> settings, List<SampleMeasurement> samples,
		@Nullable Double sumP50Millis, @Nullable Double warmupMillis, @Nullable String error) {

	public CandidateMeasurement {
		settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
		samples = List.copyOf(samples);
	}

	/**
	 * A candidate that was measured.
	 * @param settings its overrides
	 * @param samples its timings per sample
	 * @param warmupMillis how long its warmup took
	 * @return the measurement
	 */
	public static CandidateMeasurement measured(Map<String, String> settings, List<SampleMeasurement> samples,
			double warmupMillis) {
		double sum = samples.stream().mapToDouble(SampleMeasurement::p50Millis).sum();
		return new CandidateMeasurement(settings, samples, sum, warmupMillis, null);
	}

	/**
	 * A candidate that failed or was not tried.
	 * @param settings its overrides
	 * @param warmupMillis how long its warmup ran, {@code null} when it did not start
	 * @param error why
	 * @return the measurement
	 */
	public static CandidateMeasurement failed(Map<String, String> settings, @Nullable Double warmupMillis,
			String error) {
		return new CandidateMeasurement(settings, List.of(), null, warmupMillis, error);
	}

	/**
	 * A candidate known only by its settings, as when the choice came from the cache.
	 * @param settings its overrides
	 * @return the measurement
	 */
	public static CandidateMeasurement unmeasured(Map<String, String> settings) {
		return new CandidateMeasurement(settings, List.of(), null, null, null);
	}

	/**
	 * Whether the candidate was measured.
	 * @return whether it has a sum of medians
	 */
	public boolean wasMeasured() {
		return this.sumP50Millis != null;
	}

}
