package io.github.onnxgpu.boot.internal.warmup;

import java.time.Duration;
import java.util.List;

/**
 * When a warmup sample has run enough: after its minimum number of runs, once its last
 * three runs are within the tolerance of their median (steady state), or at the maximum.
 * First runs pay for allocation, algorithm search and JIT compilation, and on a busy host
 * they can stay slow for several runs; a fixed count would stop before the model is fast.
 *
 * @param minimum the fewest runs
 * @param maximum the most runs; below {@code minimum} it means exactly {@code minimum}
 * @param tolerance how far, as a fraction of their median, the last three runs may be
 * from it, such as 0.1 for 10%
 */
public record SteadyState(int minimum, int maximum, double tolerance) {

	/**
	 * How many of the last runs must agree.
	 */
	public static final int WINDOW = 3;

	/**
	 * Whether a sample needs another run.
	 * @param runs the durations so far, in order
	 * @return whether to run again
	 */
	public boolean needsAnotherRun(List<Duration> runs) {
		if (runs.size() < this.minimum) {
			return true;
		}
		return runs.size() < this.maximum && !isSteady(runs);
	}

	/**
	 * Whether the last {@value #WINDOW} runs are within the tolerance of their median.
	 * @param runs the durations so far, in order
	 * @return whether they are steady; {@code false} with fewer than {@value #WINDOW}
	 * runs
	 */
	public boolean isSteady(List<Duration> runs) {
		if (runs.size() < WINDOW) {
			return false;
		}
		long[] last = runs.subList(runs.size() - WINDOW, runs.size())
			.stream()
			.mapToLong(Duration::toNanos)
			.sorted()
			.toArray();
		long median = last[WINDOW / 2];
		double allowed = median * this.tolerance;
		return median - last[0] <= allowed && last[WINDOW - 1] - median <= allowed;
	}

}
