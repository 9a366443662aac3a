package io.github.onnxgpu.benchmarks.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Median, minimum and maximum of one figure over the trials.
 *
 * @param median the median
 * @param min the minimum
 * @param max the maximum
 * @param n how many values
 */
public record Summary(double median, double min, double max, int n) {

	/**
	 * Summarize values.
	 * @param values the values, at least one
	 * @return the summary
	 */
	public static Summary of(List<Double> values) {
		if (values.isEmpty()) {
			throw new IllegalArgumentException("Nothing to summarize");
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		double median = (sorted.size() % 2 == 1) ? sorted.get(middle)
				: (sorted.get(middle - 1) + sorted.get(middle)) / 2;
		return new Summary(median, sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
	}

	/**
	 * The summary for a table cell.
	 * @param decimals decimals shown
	 * @return such as {@code 8.21 (7.90–9.04)}, or just the value for a single trial
	 */
	public String format(int decimals) {
		String pattern = "%." + decimals + "f";
		String median = String.format(Locale.ROOT, pattern, this.median);
		if (this.n == 1) {
			return median;
		}
		return median + " (" + String.format(Locale.ROOT, pattern, this.min) + "–"
				+ String.format(Locale.ROOT, pattern, this.max) + ")";
	}

}
