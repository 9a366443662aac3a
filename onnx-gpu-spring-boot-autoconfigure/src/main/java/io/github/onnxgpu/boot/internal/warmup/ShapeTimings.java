package io.github.onnxgpu.boot.internal.warmup;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The timed runs of one warmup shape.
 *
 * @param shape the shape that ran, with every input's dimensions
 * @param iterations the duration of each run, in order
 * @param steady whether the last runs were within the steady-state tolerance of each
 * other (see {@link SteadyState})
 */
public record ShapeTimings(ResolvedShape shape, List<Duration> iterations, boolean steady) {

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
