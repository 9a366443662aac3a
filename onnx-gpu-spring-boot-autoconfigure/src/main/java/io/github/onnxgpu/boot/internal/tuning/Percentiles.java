package io.github.onnxgpu.boot.internal.tuning;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of run times: each is a run that really happened, not an
 * interpolation between two.
 */
public final class Percentiles {

	private Percentiles() {
	}

	/**
	 * The nearest-rank percentile of some values.
	 * @param values the values, in any order; not changed
	 * @param percentile the percentile, above 0 and at most 100
	 * @return the smallest value with at least that share of values at or below it
	 */
	public static double of(double[] values, double percentile) {
		if (values.length == 0) {
			throw new IllegalArgumentException("No values");
		}
		if (!(percentile > 0 && percentile <= 100)) {
			throw new IllegalArgumentException("Percentile must be above 0 and at most 100 but is " + percentile);
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(percentile / 100 * sorted.length);
		return sorted[Math.max(rank, 1) - 1];
	}

}
