package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How one model is tuned at start-up.
 *
 * @param enabled whether to tune it
 * @param candidates the configured candidates in order; empty means the defaults of the
 * provider that runs the model
 * @param defaults the default candidates by provider
 * @param runs timed runs per candidate and warmup sample
 * @param cacheDirectory where the choice is remembered, {@code null} when it is not
 */
public record TuningSettings(boolean enabled, List<TuningCandidate> candidates, DefaultCandidates defaults, int runs,
		@Nullable Path cacheDirectory) {

	/**
	 * The fewest timed runs that give a meaningful p90.
	 */
	public static final int MINIMUM_RUNS = 5;

	public TuningSettings {
		candidates = List.copyOf(candidates);
	}

	/**
	 * Settings that do not tune.
	 * @return disabled settings
	 */
	public static TuningSettings disabled() {
		return new TuningSettings(false, List.of(), DefaultCandidates.NONE, 0, null);
	}

	/**
	 * The default candidates, when none are configured.
	 *
	 * @param cpu on the CPU: intra-op thread counts
	 * @param cuda on CUDA: the convolution algorithm search
	 * @param cudaWithConv1d on CUDA for a model with a 1-D convolution: the search, each
	 * with and without padding 1-D convolutions to [N, C, 1, D]
	 */
	public record DefaultCandidates(List<TuningCandidate> cpu, List<TuningCandidate> cuda,
			List<TuningCandidate> cudaWithConv1d) {

		/**
		 * No defaults.
		 */
		public static final DefaultCandidates NONE = new DefaultCandidates(List.of(), List.of(), List.of());

		public DefaultCandidates {
			cpu = List.copyOf(cpu);
			cuda = List.copyOf(cuda);
			cudaWithConv1d = List.copyOf(cudaWithConv1d);
		}

	}

}
