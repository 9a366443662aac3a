package io.github.onnxgpu.benchmarks.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Summary;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.trial.ProviderSpec;
import io.github.onnxgpu.benchmarks.trial.TrialReport;
import io.github.onnxgpu.benchmarks.trial.TrialReport.ModelReport;
import io.github.onnxgpu.benchmarks.trial.TrialSpec;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.WarmupSpec;

/**
 * Scenario 4: what getting ready costs with the starter, from the start of the context
 * refresh to ACCEPTING_TRAFFIC, against the bare minimum: the same sessions created and
 * the same warmup runs done by hand in a plain main, one after another. With one, two and
 * four models, the starter warming them with parallelism 1 and 2.
 */
public final class WarmupCostScenario implements Scenario {

	private static final int ITERATIONS = 3;

	private static final String BARE_MINIMUM = "bare minimum by hand (sequential)";

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		List<TrialRecord> records = new ArrayList<>();
		for (ProviderSpec provider : context.providersFor(context.detector())) {
			for (int count : context.profile().warmupCostModelCounts()) {
				List<BenchmarkModel> models = models(context, count);
				for (int trial = 1; trial <= context.profile().trials(); trial++) {
					for (Integer parallelism : setups(count)) {
						records.add(runTrial(context, provider, models, parallelism, trial));
					}
				}
			}
		}
		return List.of(result(context, records));
	}

	private static List<Integer> setups(int modelCount) {
		List<Integer> setups = new ArrayList<>();
		setups.add(1);
		if (modelCount > 1) {
			setups.add(2);
		}
		setups.add(null);
		return setups;
	}

	private static List<BenchmarkModel> models(ScenarioContext context, int count) {
		List<BenchmarkModel> models = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			BenchmarkModel model = context.models().get(i % context.models().size());
			models.add((i < context.models().size()) ? model
					: model.named(model.name() + (i / context.models().size() + 1)));
		}
		return models;
	}

	private static TrialRecord runTrial(ScenarioContext context, ProviderSpec provider, List<BenchmarkModel> models,
			Integer parallelism, int trial) {
		String setup = (parallelism != null) ? "starter, parallelism=" + parallelism : BARE_MINIMUM;
		String names = models.stream().map(BenchmarkModel::name).collect(Collectors.joining("+"));
		WarmupSpec warmup = new WarmupSpec(true, ITERATIONS, (parallelism != null) ? parallelism : 1);
		TrialSpec spec = new TrialSpec(models.stream().map(BenchmarkModel::spec).toList(), warmup, provider, List.of(),
				0, 0, 0, 0, Map.of());
		context.log("warmup cost: " + names + " on " + provider.label() + ", " + setup + ", trial " + trial);
		TrialReport report = (parallelism != null) ? context.launcher().starter(spec)
				: context.launcher().handWritten(spec);
		return new TrialRecord(provider.label(), setup, names, trial, report);
	}

	private static ScenarioResult result(ScenarioContext context, List<TrialRecord> records) {
		Table.Builder table = Table.builder(
				"Getting ready, warmup iterations=" + ITERATIONS + " at every warmed "
						+ "shape; median (min–max) ms over " + context.profile().trials() + " fresh JVMs",
				"Provider", "Models", "Setup", "Refresh → ready ms", "Sessions ms (sum)", "Warmup wall ms",
				"JVM start → ready ms", "Over bare minimum");
		Map<String, List<TrialRecord>> groups = new LinkedHashMap<>();
		records.forEach((record) -> groups
			.computeIfAbsent(record.provider() + "|" + record.models() + "|" + record.setup(), (k) -> new ArrayList<>())
			.add(record));
		groups.values().forEach((group) -> {
			TrialRecord any = group.get(0);
			Summary ready = summary(group, WarmupCostScenario::readyMs);
			List<TrialRecord> bare = groups.get(any.provider() + "|" + any.models() + "|" + BARE_MINIMUM);
			String over = "–";
			if (!any.setup().equals(BARE_MINIMUM) && bare != null) {
				double bareMedian = summary(bare, WarmupCostScenario::readyMs).median();
				over = String.format(Locale.ROOT, "+%.0f ms (x%.2f)", ready.median() - bareMedian,
						ready.median() / bareMedian);
			}
			table.row(any.provider(), any.models(), any.setup(), ready.format(0),
					summary(group, WarmupCostScenario::sessionsMs).format(0),
					any.setup().equals(BARE_MINIMUM) ? "–" : summary(group, WarmupCostScenario::warmupWallMs).format(0),
					summary(group, (record) -> record.report().jvmStartToReadyMs()).format(0), over);
		});
		return ScenarioResult.completed("4", "Warmup cost",
				"Wall time from the start of the context refresh (ApplicationPreparedEvent) to ACCEPTING_TRAFFIC "
						+ "with the starter, against the bare minimum of the same work by hand: ONNX Runtime "
						+ "environment, session creation and the same warmup runs. The difference is what Spring "
						+ "and the starter add; parallelism shows what warming models at once saves.",
				List.of(table.build()), List.of(),
				List.of("For the bare minimum, 'Refresh → ready' is the hand-written work itself (environment, "
						+ "sessions, warm runs) with no Spring context.",
						"Warmup wall ms is from the first model's warmup start to the last one's end. The second "
								+ "detector and sequence model are the same files under other names.",
						"ONNX Runtime sizes each session's intra-op thread pool to the cores; two models warming at "
								+ "once share them, so parallelism=2 gains little on a 2-core machine."),
				records);
	}

	private static Summary summary(List<TrialRecord> group, ToDoubleFunction<TrialRecord> figure) {
		return Summary.of(group.stream().map((record) -> figure.applyAsDouble(record)).toList());
	}

	private static double readyMs(TrialRecord record) {
		TrialReport report = record.report();
		return (report.refreshToReadyMs() != null) ? report.refreshToReadyMs() : report.readyWorkMs();
	}

	private static double sessionsMs(TrialRecord record) {
		return record.report().models().stream().mapToDouble(ModelReport::sessionCreationMs).sum();
	}

	private static double warmupWallMs(TrialRecord record) {
		return record.report()
			.models()
			.stream()
			.filter((model) -> model.warmupMs() != null)
			.mapToDouble((model) -> model.warmupStartMs() + model.warmupMs())
			.max()
			.orElse(0);
	}

}
