package io.github.onnxgpu.benchmarks.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Summary;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.report.TargetCheck;
import io.github.onnxgpu.benchmarks.trial.ProviderSpec;
import io.github.onnxgpu.benchmarks.trial.TrialReport;
import io.github.onnxgpu.benchmarks.trial.TrialReport.ProbeReport;
import io.github.onnxgpu.benchmarks.trial.TrialSpec;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.WarmupSpec;

/**
 * Scenarios 1 and 2 from one set of trials. Each trial is a fresh JVM that loads one
 * model, gets ready, then times the first request at every warmed shape and at one
 * unwarmed shape, then each shape's steady state. Setups: the starter with warmup at
 * {@code iterations} 1, 2 and 3 (the default), and a hand-written OrtSession without
 * warmup. Trials of the setups alternate so that a slow minute on a shared machine does
 * not land on one setup only.
 */
public final class FirstRequestScenario implements Scenario {

	/**
	 * The most a warmed shape's first request may cost over its steady-state median, on
	 * the CPU.
	 */
	static final double TARGET_RATIO = 1.15;

	private static final int DEFAULT_ITERATIONS = 3;

	private static final String HAND_WRITTEN = "hand-written OrtSession, no warmup";

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		List<TrialRecord> records = new ArrayList<>();
		for (BenchmarkModel model : context.models()) {
			for (ProviderSpec provider : context.providersFor(model)) {
				for (int trial = 1; trial <= context.profile().trials(); trial++) {
					for (Integer iterations : setups(context)) {
						records.add(runTrial(context, model, provider, iterations, trial));
					}
				}
			}
		}
		return List.of(firstRequest(context, records), unwarmedAndIterations(context, records));
	}

	private static List<Integer> setups(ScenarioContext context) {
		List<Integer> setups = new ArrayList<>(context.profile().warmupIterations());
		setups.add(null);
		return setups;
	}

	private static String setupLabel(Integer iterations) {
		return (iterations != null) ? starterLabel(iterations) : HAND_WRITTEN;
	}

	private static String starterLabel(int iterations) {
		return "starter, iterations=" + iterations;
	}

	private static TrialRecord runTrial(ScenarioContext context, BenchmarkModel model, ProviderSpec provider,
			Integer iterations, int trial) {
		WarmupSpec warmup = (iterations != null) ? new WarmupSpec(true, iterations, 1) : WarmupSpec.none();
		TrialSpec spec = new TrialSpec(List.of(model.spec()), warmup, provider, model.probes(),
				context.profile().steadyDiscard(), context.profile().steadyRuns(), context.profile().idleRuns(),
				context.profile().idleGapMillis(), Map.of());
		context.log("first request: " + model.name() + " on " + provider.label() + ", " + setupLabel(iterations)
				+ ", trial " + trial);
		TrialReport report = (iterations != null) ? context.launcher().starter(spec)
				: context.launcher().handWritten(spec);
		return new TrialRecord(provider.label(), setupLabel(iterations), model.name(), trial, report);
	}

	private static ScenarioResult firstRequest(ScenarioContext context, List<TrialRecord> records) {
		Table.Builder table = Table.builder(
				"First request at each warmed shape after ready, against that shape's " + "steady-state median ("
						+ context.profile().steadyRuns() + " runs after " + context.profile().steadyDiscard()
						+ " untimed); median (min–max) over " + context.profile().trials() + " fresh JVMs",
				"Provider", "Setup", "Model", "Shape", "First request ms", "Steady p50 ms", "First / p50",
				"After-idle p50 ms", "First / after-idle");
		List<TargetCheck> targets = new ArrayList<>();
		for (ProbeFigures figures : probeFigures(records, ProbeReport::warmed)) {
			boolean defaultStarter = figures.setup().equals(starterLabel(DEFAULT_ITERATIONS));
			if (!defaultStarter && !figures.setup().equals(HAND_WRITTEN)) {
				continue;
			}
			table.row(figures.provider(), figures.setup(), figures.model(), figures.shape(), figures.first().format(2),
					figures.steady().format(2), figures.ratio().format(2), format(figures.afterIdle(), 2),
					format(figures.idleRatio(), 2));
			if (defaultStarter && !context.gpu()) {
				targets.add(new TargetCheck(figures.model() + " " + figures.shape() + " (" + figures.setup() + ")",
						"median first/p50 <= " + TARGET_RATIO, format(figures.ratio().median()),
						figures.ratio().median() <= TARGET_RATIO));
			}
		}
		List<String> notes = new ArrayList<>();
		notes.add("Ready means ReadinessState.ACCEPTING_TRAFFIC for the starter, and the session created for the "
				+ "hand-written baseline. Requests use random inputs built before timing; a request is "
				+ "OrtSession.run plus closing the result, through the OrtSession bean for the starter.");
		notes.add("After-idle p50: the median of " + context.profile().idleRuns() + " runs at the shape, each after "
				+ context.profile().idleGapMillis() + " ms idle, timed after the steady state. ONNX Runtime's worker "
				+ "threads spin between back-to-back runs and park when idle, so a warm request after a quiet moment "
				+ "also costs more than the steady p50; First / after-idle shows what remains of the first request's "
				+ "cost beyond that.");
		notes.add("The warmed shapes are probed in order in the same JVM, so for the baseline only the first "
				+ "shape pays for ONNX Runtime's one-time initialization; the later ones still pay for their shape.");
		if (context.gpu()) {
			notes.add("The issue sets the 1.15 target for the CPU; on CUDA the ratios are reported without a target.");
		}
		return ScenarioResult.completed("1", "First request after ready vs steady state",
				"How much slower the first real request at each warmed shape is than the thousandth: the starter "
						+ "with its default warmup (iterations=3) against a hand-written OrtSession without warmup.",
				List.of(table.build()), targets, notes,
				filter(records, starterLabel(DEFAULT_ITERATIONS), HAND_WRITTEN));
	}

	private static ScenarioResult unwarmedAndIterations(ScenarioContext context, List<TrialRecord> records) {
		Table.Builder unwarmed = Table.builder(
				"First request at a shape no setup warmed, probed after the warmed " + "shapes; median (min–max)",
				"Provider", "Setup", "Model", "Shape", "First request ms", "Steady p50 ms", "First / p50");
		for (ProbeFigures figures : probeFigures(records, (probe) -> !probe.warmed())) {
			unwarmed.row(figures.provider(), figures.setup(), figures.model(), figures.shape(),
					figures.first().format(2), figures.steady().format(2), figures.ratio().format(2));
		}
		List<Integer> iterations = context.profile().warmupIterations();
		List<String> headers = new ArrayList<>(List.of("Provider", "Model", "Shape"));
		iterations.forEach((count) -> headers.add("First / p50, iterations=" + count));
		headers.add("First / p50, no warmup");
		Table.Builder byIterations = Table.builder(
				"Scenario 1's ratio by onnx.warmup.iterations, at the warmed " + "shapes; median (min–max)",
				headers.toArray(String[]::new));
		Map<String, Map<String, ProbeFigures>> rows = new LinkedHashMap<>();
		for (ProbeFigures figures : probeFigures(records, ProbeReport::warmed)) {
			rows.computeIfAbsent(figures.provider() + "|" + figures.model() + "|" + figures.shape(),
					(key) -> new LinkedHashMap<>())
				.put(figures.setup(), figures);
		}
		rows.values().forEach((bySetup) -> {
			ProbeFigures any = bySetup.values().iterator().next();
			List<String> cells = new ArrayList<>(List.of(any.provider(), any.model(), any.shape()));
			iterations.forEach((count) -> cells.add(ratioOf(bySetup.get(starterLabel(count)))));
			cells.add(ratioOf(bySetup.get(HAND_WRITTEN)));
			byIterations.row(cells.toArray(String[]::new));
		});
		Table.Builder warmupTime = Table.builder("The starter's warmup wall time by iterations (all warmed shapes "
				+ "of the model); median (min–max) ms", "Provider", "Model", "Iterations", "Warmup ms");
		for (String provider : distinct(records, TrialRecord::provider)) {
			for (String model : distinct(records, TrialRecord::models)) {
				for (Integer count : iterations) {
					List<Double> durations = records.stream()
						.filter((record) -> record.provider().equals(provider) && record.models().equals(model)
								&& record.setup().equals(starterLabel(count)))
						.map((record) -> record.report().models().get(0).warmupMs())
						.toList();
					if (!durations.isEmpty()) {
						warmupTime.row(provider, model, Integer.toString(count), Summary.of(durations).format(1));
					}
				}
			}
		}
		return ScenarioResult.completed("2", "Unwarmed shape, and warmup iterations 1, 2, 3",
				"For contrast, the first request at a shape the warmup did not cover; and how scenario 1's ratio "
						+ "and the warmup's cost change with onnx.warmup.iterations.",
				List.of(unwarmed.build(), byIterations.build(), warmupTime.build()), List.of(),
				List.of("Same trials as scenario 1: every trial probes the unwarmed shape after the warmed ones."),
				records);
	}

	private static String ratioOf(ProbeFigures figures) {
		return (figures != null) ? figures.ratio().format(2) : "–";
	}

	private static List<ProbeFigures> probeFigures(List<TrialRecord> records, Predicate<ProbeReport> filter) {
		Map<String, List<ProbeSample>> samples = new LinkedHashMap<>();
		for (TrialRecord record : records) {
			for (ProbeReport probe : record.report().probes()) {
				if (filter.test(probe)) {
					String key = record.provider() + "|" + record.setup() + "|" + probe.model() + "|" + probe.shape();
					samples.computeIfAbsent(key, (k) -> new ArrayList<>()).add(new ProbeSample(record, probe));
				}
			}
		}
		List<ProbeFigures> figures = new ArrayList<>();
		samples.values().forEach((list) -> {
			ProbeSample first = list.get(0);
			figures.add(new ProbeFigures(first.record().provider(), first.record().setup(), first.probe().model(),
					first.probe().shape(), Summary.of(list.stream().map((s) -> s.probe().firstMs()).toList()),
					Summary.of(list.stream().map((s) -> s.probe().steadyP50Ms()).toList()),
					Summary.of(list.stream().map((s) -> s.probe().ratio()).toList()),
					summaryOrNull(list.stream().map((s) -> s.probe().afterIdleP50Ms()).toList()),
					summaryOrNull(list.stream()
						.map((s) -> (s.probe().afterIdleP50Ms() != null)
								? s.probe().firstMs() / s.probe().afterIdleP50Ms() : null)
						.toList())));
		});
		return figures;
	}

	private static List<TrialRecord> filter(List<TrialRecord> records, String... setups) {
		List<String> wanted = List.of(setups);
		return records.stream().filter((record) -> wanted.contains(record.setup())).toList();
	}

	private static List<String> distinct(List<TrialRecord> records, Function<TrialRecord, String> field) {
		return records.stream().map(field).distinct().toList();
	}

	private static Summary summaryOrNull(List<Double> values) {
		return values.contains(null) ? null : Summary.of(values);
	}

	private static String format(Summary summary, int decimals) {
		return (summary != null) ? summary.format(decimals) : "–";
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	private record ProbeSample(TrialRecord record, ProbeReport probe) {
	}

	private record ProbeFigures(String provider, String setup, String model, String shape, Summary first,
			Summary steady, Summary ratio, Summary afterIdle, Summary idleRatio) {
	}

}
