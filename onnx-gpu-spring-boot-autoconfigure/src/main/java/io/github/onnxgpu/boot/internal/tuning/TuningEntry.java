package io.github.onnxgpu.boot.internal.tuning;

import java.time.Instant;
import java.util.List;

/**
 * A remembered choice.
 *
 * @param chosen the index of the chosen candidate in the key's candidates
 * @param provider the execution provider the chosen candidate ran on
 * @param tunedAt when the candidates were measured
 * @param sumP50Millis each candidate's sum of p50 over the warmup samples, in the order
 * of the candidates, {@link Double#NaN} for a candidate that failed
 */
public record TuningEntry(int chosen, String provider, Instant tunedAt, List<Double> sumP50Millis) {

	public TuningEntry {
		sumP50Millis = List.copyOf(sumP50Millis);
		if (chosen < 0 || chosen >= sumP50Millis.size()) {
			throw new IllegalArgumentException(
					"The chosen candidate " + chosen + " is not one of the " + sumP50Millis.size() + " measured");
		}
	}

}
