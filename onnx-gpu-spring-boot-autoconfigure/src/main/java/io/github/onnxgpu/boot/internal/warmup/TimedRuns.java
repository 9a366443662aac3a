package io.github.onnxgpu.boot.internal.warmup;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Timed runs of a warm model at each of its warmup samples, as tuning measures a
 * candidate.
 *
 * @param samples the durations of the runs of each sample that ran, in order
 * @param error why the runs stopped early, {@code null} when all ran
 */
public record TimedRuns(List<List<Duration>> samples, @Nullable String error) {

	public TimedRuns {
		samples = samples.stream().map(List::copyOf).toList();
	}

}
