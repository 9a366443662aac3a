package io.github.onnxgpu.boot.warmup;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The timed runs of one warmup shape.
 *
 * @param shape the shape that ran, with every input's dimensions
 * @param iterations the duration of each run, in order
 * @since 0.1.0
 */
public record ShapeTimings(ResolvedShape shape, List<Duration> iterations) {

	public ShapeTimings {
		iterations = List.copyOf(iterations);
	}

	/**
	 * The first run, the one that paid for algorithm search and allocation.
	 * @return its duration, {@code null} when there was no run
	 */
	public @Nullable Duration first() {
		return this.iterations.isEmpty() ? null : this.iterations.get(0);
	}

	/**
	 * The last run, the closest to steady state.
	 * @return its duration, {@code null} when there was no run
	 */
	public @Nullable Duration last() {
		return this.iterations.isEmpty() ? null : this.iterations.get(this.iterations.size() - 1);
	}

}
