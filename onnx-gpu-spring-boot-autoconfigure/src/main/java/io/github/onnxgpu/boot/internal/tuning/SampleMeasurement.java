package io.github.onnxgpu.boot.internal.tuning;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One candidate's timings at one warmup sample.
 *
 * @param inputs every input's dimensions
 * @param firstMillis the first warmup run, the one that paid for algorithm search and
 * allocation
 * @param p50Millis the median of the timed runs
 * @param p90Millis the 90th percentile of the timed runs
 */
public record SampleMeasurement(Map<String, long[]> inputs, double firstMillis, double p50Millis, double p90Millis) {

	public SampleMeasurement {
		inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
	}

}
