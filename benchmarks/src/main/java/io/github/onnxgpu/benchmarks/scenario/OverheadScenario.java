package io.github.onnxgpu.benchmarks.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.BenchmarkProfile.JmhSettings;
import io.github.onnxgpu.benchmarks.Json;
import io.github.onnxgpu.benchmarks.jmh.InferencePathBenchmark;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.report.TargetCheck;
import io.github.onnxgpu.benchmarks.trial.ProviderSpec;

/**
 * Scenario 3: the per-call cost of the starter's inference paths over a plain
 * {@code OrtSession.run} on the same session, with JMH in forked JVMs, on the detector at
 * a shape whose run takes about a millisecond.
 */
public final class OverheadScenario implements Scenario {

	/** The most a starter path may add to the median call, in percent. */
	static final double TARGET_PERCENT = 2.0;

	private static final String BASELINE = "plainSessionRun";

	private static final Map<String, String> PATHS = Map.of(BASELINE, "plain OrtSession.run (baseline)",
			"starterSessionBean", "OrtSession bean .run", "starterModelCall", "OnnxModel.call(session -> session.run)");

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		BenchmarkModel detector = context.detector();
		JmhSettings settings = context.profile().jmh();
		Table.Builder table = Table.builder("JMH sample time per call, detector at " + settings.detectorShape() + "; "
				+ settings.forks() + " fork(s) x " + settings.measurementIterations() + " x "
				+ settings.iterationTime().toMillis() + " ms measured per path", "Provider", "Path", "p50 µs",
				"mean µs", "p90 µs", "samples", "p50 over baseline");
		List<TargetCheck> targets = new ArrayList<>();
		List<Map<String, Object>> data = new ArrayList<>();
		for (ProviderSpec provider : context.providersFor(detector)) {
			context.log("overhead (JMH): detector " + settings.detectorShape() + " on " + provider.label());
			Map<String, Statistics> byPath = runJmh(context, detector, provider, settings);
			double baseline = byPath.get(BASELINE).getPercentile(50);
			byPath.forEach((path, statistics) -> {
				double p50 = statistics.getPercentile(50);
				double overhead = (p50 / baseline - 1) * 100;
				boolean isBaseline = path.equals(BASELINE);
				table.row(provider.label(), PATHS.get(path), format(p50, 1), format(statistics.getMean(), 1),
						format(statistics.getPercentile(90), 1), Long.toString(statistics.getN()),
						isBaseline ? "–" : format(overhead, 2) + " %");
				if (!isBaseline) {
					targets.add(new TargetCheck(PATHS.get(path) + " on " + provider.label(),
							"p50 overhead <= " + TARGET_PERCENT + " %", format(overhead, 2) + " %",
							overhead <= TARGET_PERCENT));
				}
				Map<String, Object> row = new LinkedHashMap<>();
				row.put("provider", provider.label());
				row.put("benchmark", path);
				row.put("p50Us", p50);
				row.put("meanUs", statistics.getMean());
				row.put("p90Us", statistics.getPercentile(90));
				row.put("p99Us", statistics.getPercentile(99));
				row.put("samples", statistics.getN());
				row.put("overheadPercentAtP50", isBaseline ? 0.0 : overhead);
				data.add(row);
			});
		}
		return List.of(ScenarioResult.completed("3", "Per-call overhead of the starter's inference path",
				"What the starter adds to each call over OrtSession.run on the very same session: the injected "
						+ "OrtSession bean (the same object, so nothing by construction) and OnnxModel.call, which "
						+ "counts the run in flight so shutdown never closes the session under it.",
				List.of(table.build()), targets,
				List.of("The OrtSession bean is checked to be the registry's session before measuring.",
						"Differences within a percent or two are within this machine's run-to-run noise: the "
								+ "paths run one after another, not interleaved."),
				data));
	}

	private static Map<String, Statistics> runJmh(ScenarioContext context, BenchmarkModel detector,
			ProviderSpec provider, JmhSettings settings) {
		TimeValue iterationTime = TimeValue.milliseconds(settings.iterationTime().toMillis());
		Options options = new OptionsBuilder()
			.include(Pattern.quote(InferencePathBenchmark.class.getName()) + "\\..*")
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
			.output(context.workDirectory().resolve("jmh-" + provider.label().replaceAll("[^A-Za-z0-9]+", "-") + ".log").toString())
			.build();
		// JMH forks with -cp <this class path>; a long one crashes ONNX Runtime (see TrialLauncher)
		System.setProperty("jmh.separateClasspathJAR", "true");
		Collection<RunResult> results;
		try {
			results = new Runner(options).run();
		}
		catch (RunnerException ex) {
			throw new IllegalStateException("JMH failed: " + ex.getMessage(), ex);
		}
		Map<String, Statistics> byPath = new LinkedHashMap<>();
		for (String path : List.of(BASELINE, "starterSessionBean", "starterModelCall")) {
			for (RunResult result : results) {
				String benchmark = result.getParams().getBenchmark();
				if (benchmark.endsWith("." + path)) {
					byPath.put(path, result.getPrimaryResult().getStatistics());
				}
			}
			if (!byPath.containsKey(path)) {
				throw new IllegalStateException("JMH reported no result for " + path);
			}
		}
		return byPath;
	}

	private static String format(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

}
