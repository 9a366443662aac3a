package io.github.onnxgpu.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * How much a run measures: the full suite, or the quick one CI uses to prove that every
 * scenario still runs (once, on small shapes; its figures mean nothing).
 *
 * @param name {@code full} or {@code quick}
 * @param trials fresh JVMs per configuration
 * @param steadyDiscard untimed runs per shape before the steady state is timed
 * @param steadyRuns timed steady-state runs per shape
 * @param idleRuns timed runs per shape that each follow an idle gap
 * @param idleGapMillis the idle gap
 * @param detectorWarmed the detector's warmup shapes (input {@code image})
 * @param detectorUnwarmed a detector shape that is not warmed
 * @param sequenceWarmed the sequence model's warmup shapes (input {@code tokens})
 * @param sequenceUnwarmed a sequence shape that is not warmed
 * @param warmupIterations the {@code onnx.warmup.iterations} values compared
 * @param warmupCostModelCounts how many models scenario 4 loads
 * @param tuningRuns the {@code tuning.runs} of scenario 10, and the runs its independent
 * measurement times per candidate
 * @param jmh the JMH settings of scenario 3
 * @param load the settings of scenario 12
 * @param trialTimeout the longest one trial may take
 */
public record BenchmarkProfile(String name, int trials, int steadyDiscard, int steadyRuns, int idleRuns,
		int idleGapMillis, List<String> detectorWarmed, String detectorUnwarmed, List<String> sequenceWarmed,
		String sequenceUnwarmed, List<Integer> warmupIterations, List<Integer> warmupCostModelCounts, int tuningRuns,
		JmhSettings jmh, LoadSettings load, Duration trialTimeout) {

	/**
	 * JMH settings.
	 *
	 * @param detectorShape the detector shape benchmarked, one whose run takes about 1 ms
	 * @param rounds rounds; each runs every path once, in rotating order, so that load on
	 * a shared machine hits every path alike and each round gives a paired comparison
	 * @param forks forked JVMs per benchmark and round
	 * @param warmupIterations warmup iterations per fork
	 * @param measurementIterations measurement iterations per fork
	 * @param iterationTime the length of one iteration
	 */
	public record JmhSettings(String detectorShape, int rounds, int forks, int warmupIterations,
			int measurementIterations, Duration iterationTime) {
	}

	/**
	 * Settings of the load scenario (12).
	 *
	 * @param models the generated models loaded, by name ({@code tiny}, {@code small},
	 * {@code large})
	 * @param configurations the configurations compared, by id ({@code unbatched},
	 * {@code batching}, {@code instances}, {@code batching-instances}), each in its own
	 * JVM; the first is the baseline the others are compared with
	 * @param callers the closed loop's concurrent callers
	 * @param openLoopFractions the open loop's arrival rates, as fractions of the first
	 * configuration's highest closed-loop throughput
	 * @param openLoopThreads the most threads the open loop calls from
	 * @param warmup the untimed period before each point
	 * @param measured the measured period of each point
	 */
	public record LoadSettings(List<String> models, List<String> configurations, List<Integer> callers,
			List<Double> openLoopFractions, int openLoopThreads, Duration warmup, Duration measured) {

		public LoadSettings {
			models = List.copyOf(models);
			configurations = List.copyOf(configurations);
			callers = List.copyOf(callers);
			openLoopFractions = List.copyOf(openLoopFractions);
		}

		/**
		 * A copy with only some models and configurations.
		 * @param onlyModels the models, or {@code null} for these
		 * @param onlyConfigurations the configurations, or {@code null} for these
		 * @return the copy
		 */
		public LoadSettings only(List<String> onlyModels, List<String> onlyConfigurations) {
			return new LoadSettings((onlyModels != null) ? onlyModels : this.models,
					(onlyConfigurations != null) ? onlyConfigurations : this.configurations, this.callers,
					this.openLoopFractions, this.openLoopThreads, this.warmup, this.measured);
		}

	}

	/**
	 * A copy with other load settings.
	 * @param settings the settings
	 * @return the copy
	 */
	public BenchmarkProfile withLoad(LoadSettings settings) {
		return new BenchmarkProfile(this.name, this.trials, this.steadyDiscard, this.steadyRuns, this.idleRuns,
				this.idleGapMillis, this.detectorWarmed, this.detectorUnwarmed, this.sequenceWarmed,
				this.sequenceUnwarmed, this.warmupIterations, this.warmupCostModelCounts, this.tuningRuns, this.jmh,
				settings, this.trialTimeout);
	}

	/**
	 * The full suite: about 15 minutes on 2 cores, and about 30 more for the load
	 * scenario.
	 * @param trials fresh JVMs per configuration
	 * @return the profile
	 */
	public static BenchmarkProfile full(int trials) {
		return new BenchmarkProfile("full", trials, 5, 30, 5, 100, List.of("1x3x256x256", "1x3x512x512"), "1x3x384x384",
				List.of("1x512", "1x2048"), "1x1024", List.of(1, 2, 3), List.of(1, 2, 4), 20,
				new JmhSettings("1x3x80x80", 5, 1, 3, 5, Duration.ofMillis(500)),
				new LoadSettings(List.of("tiny", "small", "large"),
						List.of("unbatched", "batching", "instances", "batching-instances", "batching-delay",
								"batching-one-worker"),
						List.of(1, 4, 16, 64), List.of(0.25, 0.5, 0.75, 1.0, 1.25, 2.0, 3.0), 512,
						Duration.ofSeconds(2), Duration.ofSeconds(5)),
				Duration.ofMinutes(5));
	}

	/**
	 * The quick suite: every scenario once, on small shapes, each setup in as few fresh
	 * JVMs as runs its code (one warmup iteration count in scenario 2: the others take
	 * the same path); the load scenario on the smallest model, unbatched and batched on 2
	 * instances, at 1 and 4 callers and one arrival rate.
	 * @return the profile
	 */
	public static BenchmarkProfile quick() {
		return new BenchmarkProfile("quick", 1, 1, 3, 1, 20, List.of("1x3x32x32"), "1x3x48x48", List.of("1x32"), "1x64",
				List.of(1), List.of(2), 5, new JmhSettings("1x3x32x32", 1, 1, 1, 1, Duration.ofMillis(200)),
				new LoadSettings(List.of("tiny"), List.of("unbatched", "batching-instances"), List.of(1, 4),
						List.of(0.5), 16, Duration.ofMillis(200), Duration.ofMillis(500)),
				Duration.ofMinutes(2));
	}

}
