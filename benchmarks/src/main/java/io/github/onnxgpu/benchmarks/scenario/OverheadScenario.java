package io.github.onnxgpu.benchmarks.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.BenchmarkProfile.JmhSettings;
import io.github.onnxgpu.benchmarks.Json;
import io.github.onnxgpu.benchmarks.jmh.InferencePathBenchmark;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Summary;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.report.TargetCheck;
import io.github.onnxgpu.benchmarks.trial.ProviderSpec;

/**
 * Scenario 3: the per-call cost of the starter's inference paths over a plain
 * {@code OrtSession.run} on the same session, with JMH in forked JVMs, on the detector at
 * a shape whose run takes about a millisecond. The paths run in rounds, each path once
 * per round in rotating order, and the overhead is taken per round against that round's
 * baseline: on a shared machine, load drifts over minutes and would otherwise land on one
 * path only.
 */
public final class OverheadScenario implements Scenario {

	/** The most a starter path may add to the median call, in percent. */
	static final double TARGET_PERCENT = 2.0;

	private static final String BASELINE = "plainSessionRun";

	private static final Map<String, String> PATHS = paths();

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		BenchmarkModel detector = context.detector();
		JmhSettings settings = context.profile().jmh();
		Table.Builder table = Table.builder("JMH sample time per call, detector at " + settings.detectorShape() + "; "
				+ settings.rounds() + " round(s), each path per round " + settings.forks() + " fork x "
				+ settings.measurementIterations() + " x " + settings.iterationTime().toMillis() + " ms measured after "
				+ settings.warmupIterations() + " warmup iterations; median (min–max) over " + "rounds", "Provider",
				"Path", "p50 µs", "mean µs", "p50 over the round's baseline");
		List<TargetCheck> targets = new ArrayList<>();
		List<Map<String, Object>> data = new ArrayList<>();
		for (ProviderSpec provider : context.providersFor(detector)) {
			List<Map<String, Statistics>> rounds = new ArrayList<>();
			for (int round = 0; round < settings.rounds(); round++) {
				rounds.add(runRound(context, detector, provider, settings, round));
			}
			for (String path : PATHS.keySet()) {
				Summary p50 = Summary.of(rounds.stream().map((round) -> round.get(path).getPercentile(50)).toList());
				Summary mean = Summary.of(rounds.stream().map((round) -> round.get(path).getMean()).toList());
				Summary overhead = Summary.of(rounds.stream().map((round) -> overheadPercent(round, path)).toList());
				boolean isBaseline = path.equals(BASELINE);
				table.row(provider.label(), PATHS.get(path), p50.format(1), mean.format(1),
						isBaseline ? "–" : overhead.format(2) + " %");
				if (!isBaseline) {
					targets.add(new TargetCheck(PATHS.get(path) + " on " + provider.label(),
							"median p50 overhead <= " + TARGET_PERCENT + " %",
							String.format(Locale.ROOT, "%.2f %%", overhead.median()),
							overhead.median() <= TARGET_PERCENT));
				}
			}
			for (int round = 0; round < rounds.size(); round++) {
				for (Map.Entry<String, Statistics> path : rounds.get(round).entrySet()) {
					data.add(row(provider, round + 1, path.getKey(), path.getValue(),
							overheadPercent(rounds.get(round), path.getKey())));
				}
			}
		}
		return List.of(ScenarioResult.completed("3", "Per-call overhead of the starter's inference path",
				"What the starter adds to each call over OrtSession.run on the very same session: the injected "
						+ "OrtSession bean (the same object, so nothing by construction), OnnxModel.call, which "
						+ "counts the run in flight so shutdown never closes the session under it, and "
						+ "OnnxInference.run, which also looks the model up by name and observes the run (the "
						+ "onnx.inference timer through Micrometer's default meter observation handler).",
				List.of(table.build()), targets,
				List.of("The OrtSession bean is checked to be the registry's session before measuring.",
						"Each path runs in its own forked JVM per round, with the starter's context started and the "
								+ "model warmed at the benchmarked shape; the JSON file has every round."),
				data));
	}

	private static Map<String, String> paths() {
		Map<String, String> paths = new LinkedHashMap<>();
		paths.put(BASELINE, "plain OrtSession.run (baseline)");
		paths.put("starterSessionBean", "OrtSession bean .run");
		paths.put("starterModelCall", "OnnxModel.call(session -> session.run)");
		paths.put("starterInferenceWithMetrics", "OnnxInference.run(name, inputs) with the onnx.inference timer");
		return paths;
	}

	private static double overheadPercent(Map<String, Statistics> round, String path) {
		return (round.get(path).getPercentile(50) / round.get(BASELINE).getPercentile(50) - 1) * 100;
	}

	private static Map<String, Statistics> runRound(ScenarioContext context, BenchmarkModel detector,
			ProviderSpec provider, JmhSettings settings, int round) {
		List<String> order = new ArrayList<>(PATHS.keySet());
		Collections.rotate(order, -round);
		Map<String, Statistics> byPath = new LinkedHashMap<>();
		for (String path : order) {
			context.log("overhead (JMH): " + path + ", detector " + settings.detectorShape() + " on " + provider.label()
					+ ", round " + (round + 1));
			byPath.put(path, runJmh(context, detector, provider, settings, path, round));
		}
		Map<String, Statistics> inPathOrder = new LinkedHashMap<>();
		PATHS.keySet().forEach((path) -> inPathOrder.put(path, byPath.get(path)));
		return inPathOrder;
	}

	private static Statistics runJmh(ScenarioContext context, BenchmarkModel detector, ProviderSpec provider,
			JmhSettings settings, String path, int round) {
		TimeValue iterationTime = TimeValue.milliseconds(settings.iterationTime().toMillis());
		String log = "jmh-" + provider.label().replaceAll("[^A-Za-z0-9]+", "-") + "-" + (round + 1) + "-" + path
				+ ".log";
		Options options = new OptionsBuilder()
			.include(Pattern.quote(InferencePathBenchmark.class.getName() + "." + path) + "$")
			.param("modelFile", detector.file().toAbsolutePath().toString())
			.param("inputs", Json.line(Map.of(detector.input(), settings.detectorShape())))
			.param("provider", Json.line(provider))
			.forks(settings.forks())
			.warmupIterations(settings.warmupIterations())
			.warmupTime(iterationTime)
			.measurementIterations(settings.measurementIterations())
			.measurementTime(iterationTime)
			.jvmArgs("-Xms256m", "-Xmx1g")
			.shouldFailOnError(true)
			.output(context.workDirectory().resolve(log).toString())
			.build();
		Collection<RunResult> results = JmhRuns.run(options, log);
		return results.stream()
			.filter((result) -> result.getParams().getBenchmark().endsWith("." + path))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("JMH reported no result for " + path))
			.getPrimaryResult()
			.getStatistics();
	}

	private static Map<String, Object> row(ProviderSpec provider, int round, String path, Statistics statistics,
			double overhead) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("provider", provider.label());
		row.put("round", round);
		row.put("benchmark", path);
		row.put("p50Us", statistics.getPercentile(50));
		row.put("meanUs", statistics.getMean());
		row.put("p90Us", statistics.getPercentile(90));
		row.put("p99Us", statistics.getPercentile(99));
		row.put("samples", statistics.getN());
		row.put("overheadPercentAtP50", path.equals(BASELINE) ? 0.0 : overhead);
		return row;
	}

}
