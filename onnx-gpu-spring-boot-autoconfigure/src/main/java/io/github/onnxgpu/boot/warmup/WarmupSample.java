package io.github.onnxgpu.boot.warmup;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The runs of one warmup sample.
 *
 * @param inputs the dimensions of each input, such as {@code x: 1x3x640x640}
 * @param iterations the duration of each run, in order
 * @since 0.1.0
 */
public record WarmupSample(Map<String, String> inputs, List<Duration> iterations) {

	public WarmupSample {
		inputs = Map.copyOf(inputs);
		iterations = List.copyOf(iterations);
	}

	/**
	 * The first run, the one that paid for algorithm search and allocation.
	 * @return its duration, or {@code null} when there was no run
	 */
	public Duration first() {
		return this.iterations.isEmpty() ? null : this.iterations.get(0);
	}

	/**
	 * The last run, the closest to steady state.
	 * @return its duration, or {@code null} when there was no run
	 */
	public Duration last() {
		return this.iterations.isEmpty() ? null : this.iterations.get(this.iterations.size() - 1);
	}

}
