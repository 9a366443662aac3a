package io.github.onnxgpu.benchmarks.trial;

import java.util.List;

/**
 * What one load trial measures: one model in one configuration of the starter (its
 * {@code onnx.*} properties in {@link TrialSpec#extraProperties()}), loaded by callers of
 * {@code OnnxInference.run} in a closed loop, then at fixed arrival rates in an open
 * loop.
 *
 * @param configuration the configuration's label, such as {@code batching}
 * @param starter the model, its warmup, the provider and the configuration's properties
 * (no probes)
 * @param model the model's name
 * @param input the model's input
 * @param features the floats of one sample (the input is {@code [1, features]})
 * @param callers the closed loop's concurrent callers, one point each
 * @param openLoopFractions the open loop's arrival rates, as fractions of
 * {@code openLoopBaseline}
 * @param openLoopBaseline the runs per second the fractions apply to, or {@code null} for
 * this trial's own highest closed-loop throughput
 * @param openLoopThreads the most threads the open loop calls from; arrivals beyond them
 * wait, their latency still counted from the arrival
 * @param warmupMillis the untimed period before each point
 * @param measuredMillis the measured period of each point
 */
public record LoadSpec(String configuration, TrialSpec starter, String model, String input, int features,
		List<Integer> callers, List<Double> openLoopFractions, Double openLoopBaseline, int openLoopThreads,
		long warmupMillis, long measuredMillis) {

	public LoadSpec {
		callers = List.copyOf(callers);
		openLoopFractions = List.copyOf(openLoopFractions);
	}

}
