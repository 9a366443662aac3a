package io.github.onnxgpu.benchmarks.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.github.onnxgpu.benchmarks.BenchmarkProfile.LoadSettings;
import io.github.onnxgpu.benchmarks.LoadModel;
import io.github.onnxgpu.benchmarks.report.LatencyChart;
import io.github.onnxgpu.benchmarks.report.LatencyChart.Point;
import io.github.onnxgpu.benchmarks.report.LatencyChart.Series;
import io.github.onnxgpu.benchmarks.report.MachineInfo;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.report.TargetCheck;
import io.github.onnxgpu.benchmarks.trial.LoadReport;
import io.github.onnxgpu.benchmarks.trial.LoadReport.LoadPoint;
import io.github.onnxgpu.benchmarks.trial.LoadSpec;
import io.github.onnxgpu.benchmarks.trial.ProviderSpec;
import io.github.onnxgpu.benchmarks.trial.TrialLauncher.TrialFailedException;
import io.github.onnxgpu.benchmarks.trial.TrialSpec;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.ModelSpec;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.WarmupSpec;

/**
 * Scenario 12: the starter serving under load. For each generated model (about 0.1 ms, 1
 * ms and 10 ms a run at batch 1) and each configuration (one session unbatched, dynamic
 * batching, 2 instances, both), a fresh JVM with the starter loads the model through
 * {@code OnnxInference.run} in a closed loop at 1, 4, 16 and 64 concurrent callers, then
 * in an open loop at fixed arrival rates, fractions of the first (unbatched)
 * configuration's highest closed-loop throughput. All configurations of a model run one
 * after the other, so that their ratios are measured under the same load of the machine.
 * It writes a table per model and loop, the targets at 16 callers, and a picture
 * of p99 against throughput per model beside the result files.
 */
public final class LoadScenario implements Scenario {

	/** The scenario's number. */
	public static final String ID = "12";

	/** The scenario's title. */
	public static final String TITLE = "Serving under load: dynamic batching and model instances";

	static final String MEASURES = "Throughput and latency (p50, p95, p99) of OnnxInference.run on generated MatMul "
			+ "and Relu models of about 0.1 ms, 1 ms and 10 ms a run at batch 1, one session unbatched (the path "
			+ "before batching) against batching, 2 instances and both: a closed loop of concurrent callers, each "
			+ "with its own input and calling again as soon as its call returns, and an open loop of calls arriving "
			+ "at fixed rates, timed from their scheduled arrival so that waiting for a busy server counts "
			+ "(no coordinated omission). Refused calls (OnnxModelBusyException: queue full or timed out) are "
			+ "counted, not timed. Each configuration runs in its own JVM, one after the other, per model.";

	/** The table cell of a configuration this build of the starter cannot run. */
	static final String NOT_RUN = "not run: not in this build of the starter";

	/** The callers at which the targets are checked. */
	static final int TARGET_CALLERS = 16;

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		LoadSettings settings = context.profile().load();
		List<LoadConfiguration> configurations = settings.configurations().stream().map(LoadConfiguration::of).toList();
		ProviderSpec provider = context.gpu() ? ProviderSpec.cuda(null, null) : ProviderSpec.cpu();
		List<Table> tables = new ArrayList<>();
		List<TargetCheck> targets = new ArrayList<>();
		List<String> notes = new ArrayList<>();
		List<Map<String, Object>> data = new ArrayList<>();
		for (String name : settings.models()) {
			LoadModel model = LoadModel.named(name);
			Path file = model.write(context.workDirectory().resolve("load-models"));
			String loadBefore = uptime();
			Map<LoadConfiguration, LoadReport> reports = new LinkedHashMap<>();
			Map<LoadConfiguration, String> notRun = new LinkedHashMap<>();
			Double baseline = null;
			for (LoadConfiguration configuration : configurations) {
				context.log("load: " + model.name() + " (" + model.description() + ") on " + provider.label() + ", "
						+ configuration.label() + ", " + settings.callers() + " callers then "
						+ settings.openLoopFractions().size() + " arrival rates, " + settings.warmup().toMillis()
						+ " ms + " + settings.measured().toMillis() + " ms each; load average " + uptime());
				LoadReport report;
				try {
					report = context.launcher()
						.load(new LoadSpec(configuration.id(), starter(model, file, provider, configuration),
								model.name(), LoadModel.INPUT, model.features(), settings.callers(),
								settings.openLoopFractions(), baseline, settings.openLoopThreads(),
								settings.warmup().toMillis(), settings.measured().toMillis()));
				}
				catch (TrialFailedException ex) {
					String unknown = unknownProperties(ex, configuration.properties(model.name()));
					if (unknown == null) {
						throw ex;
					}
					context.log("load: " + configuration.label() + " not run: " + unknown);
					notRun.put(configuration, unknown);
					continue;
				}
				if (baseline == null) {
					baseline = report.openLoopBaseline();
				}
				reports.put(configuration, report);
			}
			String loadAfter = uptime();
			tables.add(closedTable(model, settings, reports, notRun));
			tables.add(openTable(model, settings, reports, notRun));
			targets.addAll(targets(model, reports));
			notes.addAll(notes(context, model, reports, loadBefore, loadAfter));
			notRun.forEach((configuration, reason) -> notes
				.add(model.name() + ", " + configuration.label() + ": not run, " + reason + "."));
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("model", model.name());
			entry.put("description", model.description());
			entry.put("loadBefore", loadBefore);
			entry.put("loadAfter", loadAfter);
			entry.put("trials", new ArrayList<>(reports.values()));
			entry.put("notRun", notRun.entrySet()
				.stream()
				.collect(Collectors.toMap((configuration) -> configuration.getKey().id(), Map.Entry::getValue)));
			data.add(entry);
		}
		long failed = data.stream()
			.flatMap((entry) -> ((List<?>) entry.get("trials")).stream())
			.map(LoadReport.class::cast)
			.flatMap((report) -> report.points().stream())
			.mapToLong(LoadPoint::failed)
			.sum();
		targets
			.add(new TargetCheck("Calls that failed other than by a refusal", "none", failed + " failed", failed == 0));
		return List.of(ScenarioResult.completed(ID, TITLE, MEASURES, tables, targets, notes, data));
	}

	private static TrialSpec starter(LoadModel model, Path file, ProviderSpec provider,
			LoadConfiguration configuration) {
		ModelSpec spec = new ModelSpec(model.name(), file.toAbsolutePath().toString(),
				List.of(Map.of(LoadModel.INPUT, model.sampleShape())));
		return new TrialSpec(List.of(spec), new WarmupSpec(true, 3, 1), provider, List.of(), 0, 0, 0, 0,
				configuration.properties(model.name()));
	}

	// a configuration whose properties this build of the starter does not know (refused
	// at
	// start-up, naming them): the reason, or null for any other failure
	static String unknownProperties(TrialFailedException failure, Map<String, String> properties) {
		String message = String.valueOf(failure.getMessage());
		List<String> unknown = properties.keySet()
			.stream()
			.filter((key) -> message.contains(key + " is not a known configuration key"))
			.toList();
		return unknown.isEmpty() ? null : "this build of the starter does not know " + String.join(" or ", unknown)
				+ " (it refuses to start with them)";
	}

	private static Table closedTable(LoadModel model, LoadSettings settings, Map<LoadConfiguration, LoadReport> reports,
			Map<LoadConfiguration, String> notRun) {
		LoadConfiguration base = reports.keySet().iterator().next();
		Table.Builder table = Table.builder(
				model.name() + " (" + model.description() + "), closed loop: concurrent "
						+ "callers of OnnxInference.run, each with its own input; " + settings.warmup().toMillis()
						+ " ms warm-up, then " + settings.measured().toMillis()
						+ " ms measured per point; ratios against " + base.label() + " at the same callers",
				"Configuration", "Callers", "Throughput /s", "p50 ms", "p95 ms", "p99 ms", "Refused",
				"Throughput ratio", "p99 ratio");
		for (Map.Entry<LoadConfiguration, LoadReport> entry : reports.entrySet()) {
			for (LoadPoint point : closed(entry.getValue())) {
				Optional<LoadPoint> reference = closedAt(reports.get(base), point.callers());
				boolean compared = !entry.getKey().equals(base) && reference.isPresent();
				table.row(entry.getKey().label(), String.valueOf(point.callers()), throughput(point.throughput()),
						latency(point, point.p50Ms()), latency(point, point.p95Ms()), latency(point, point.p99Ms()),
						String.valueOf(point.refused()),
						compared ? ratio(point.throughput() / reference.get().throughput()) : "–",
						compared ? ratio(point.p99Ms() / reference.get().p99Ms()) : "–");
			}
		}
		notRun.keySet()
			.forEach((configuration) -> table.row(configuration.label(), "–", NOT_RUN, "–", "–", "–", "–", "–", "–"));
		return table.build();
	}

	private static Table openTable(LoadModel model, LoadSettings settings, Map<LoadConfiguration, LoadReport> reports,
			Map<LoadConfiguration, String> notRun) {
		LoadConfiguration base = reports.keySet().iterator().next();
		Table.Builder table = Table.builder(
				model.name() + ", open loop: calls arriving at fixed rates, fractions of " + base.label()
						+ "'s highest closed-loop throughput (" + throughput(reports.get(base).openLoopBaseline())
						+ "/s), from up to " + settings.openLoopThreads()
						+ " threads; latency from each call's scheduled arrival; " + settings.warmup().toMillis()
						+ " ms warm-up, then " + settings.measured().toMillis() + " ms of arrivals measured per point",
				"Configuration", "Arrivals /s", "Throughput /s", "p50 ms", "p95 ms", "p99 ms", "Refused", "Unfinished");
		for (Map.Entry<LoadConfiguration, LoadReport> entry : reports.entrySet()) {
			for (LoadPoint point : open(entry.getValue())) {
				table.row(entry.getKey().label(),
						throughput(point.targetRate()) + " ("
								+ String.format(Locale.ROOT, "%.0f %%", point.fraction() * 100) + ")",
						throughput(point.throughput()), latency(point, point.p50Ms()), latency(point, point.p95Ms()),
						latency(point, point.p99Ms()), String.valueOf(point.refused()),
						String.valueOf(point.unfinished()));
			}
		}
		notRun.keySet()
			.forEach((configuration) -> table.row(configuration.label(), "–", NOT_RUN, "–", "–", "–", "–", "–"));
		return table.build();
	}

	// the targets at 16 callers, for each batched configuration against the
	// unbatched one in the same run
	private static List<TargetCheck> targets(LoadModel model, Map<LoadConfiguration, LoadReport> reports) {
		List<TargetCheck> targets = new ArrayList<>();
		LoadReport unbatched = reports.get(LoadConfiguration.UNBATCHED);
		Optional<LoadPoint> reference = (unbatched != null) ? closedAt(unbatched, TARGET_CALLERS) : Optional.empty();
		if (reference.isEmpty()) {
			return targets;
		}
		for (Map.Entry<LoadConfiguration, LoadReport> entry : reports.entrySet()) {
			Optional<LoadPoint> point = closedAt(entry.getValue(), TARGET_CALLERS);
			if (!entry.getKey().batching() || point.isEmpty()) {
				continue;
			}
			double throughput = point.get().throughput() / reference.get().throughput();
			double p99 = point.get().p99Ms() / reference.get().p99Ms();
			String subject = model.name() + " model (" + model.nominal() + "), " + entry.getKey().label() + " at "
					+ TARGET_CALLERS + " callers against unbatched";
			String observed = "x" + ratio(throughput) + " throughput (" + throughput(point.get().throughput())
					+ " against " + throughput(reference.get().throughput()) + "/s), x" + ratio(p99) + " p99 ("
					+ latency(point.get(), point.get().p99Ms()) + " against "
					+ latency(reference.get(), reference.get().p99Ms()) + " ms)";
			if (model.name().equals("tiny")) {
				targets.add(new TargetCheck(subject, "throughput >= x2.00 with p99 <= x1.00", observed,
						throughput >= 2 && p99 <= 1));
			}
			else if (model.name().equals("small")) {
				targets.add(new TargetCheck(subject, "p99 <= x0.50 with throughput >= x0.90", observed,
						p99 <= 0.5 && throughput >= 0.9));
			}
		}
		return targets;
	}

	private static List<String> notes(ScenarioContext context, LoadModel model,
			Map<LoadConfiguration, LoadReport> reports, String loadBefore, String loadAfter) {
		List<String> notes = new ArrayList<>();
		LoadReport first = reports.values().iterator().next();
		String single = closedAt(first, 1).map((point) -> latency(point, point.p50Ms()) + " ms")
			.orElse("not measured (no point at 1 caller)");
		notes.add(model.name() + ": " + model.description() + ", sized for about " + model.nominal()
				+ " a run at batch 1; measured here: " + single + " (p50 at 1 caller, "
				+ reports.keySet().iterator().next().label() + ", on " + first.provider() + ").");
		notes.add(model.name() + ": machine load (uptime, 1, 5 and 15 minutes) " + loadBefore + " before its trials, "
				+ loadAfter + " after, on " + Runtime.getRuntime().availableProcessors()
				+ " cores; other work on the machine makes the figures noisier.");
		for (Map.Entry<LoadConfiguration, LoadReport> entry : reports.entrySet()) {
			String properties = entry.getKey()
				.properties(model.name())
				.entrySet()
				.stream()
				.map((property) -> property.getKey() + "=" + property.getValue())
				.collect(Collectors.joining(", "));
			Map<String, Object> described = entry.getValue().model();
			String shown = List.of("batching", "instances")
				.stream()
				.filter(described::containsKey)
				.map((key) -> key + " " + described.get(key))
				.collect(Collectors.joining("; "));
			String requested = properties.isEmpty() ? "the starter's defaults" : properties;
			// the starter refuses properties it does not know, so a trial that ran had
			// them
			// applied; the endpoint shows the settings where it has a section for them
			String effect = shown.isEmpty() ? "/actuator/onnx shows no batching or instances section"
					: "/actuator/onnx shows " + shown;
			notes.add(model.name() + ", " + entry.getKey().label() + ": " + requested + "; " + effect + ".");
		}
		try {
			Path chart = chart(context, model, reports);
			notes.add(model.name() + ": p99 against throughput, one colour per configuration (solid: open loop, "
					+ "each point labelled with its arrival rate; dashed: closed loop, labelled with its callers): ["
					+ chart.getFileName() + "](" + chart.getFileName() + ").");
		}
		catch (RuntimeException | InternalError | LinkageError ex) {
			// a JVM without fonts or AWT libraries cannot draw; the tables hold the
			// figures
			notes.add(model.name() + ": the picture could not be drawn here: " + ex);
		}
		return notes;
	}

	private static Path chart(ScenarioContext context, LoadModel model, Map<LoadConfiguration, LoadReport> reports) {
		List<Series> series = new ArrayList<>();
		int color = 0;
		for (Map.Entry<LoadConfiguration, LoadReport> entry : reports.entrySet()) {
			List<Point> open = open(entry.getValue()).stream()
				.filter((point) -> point.completed() > 0)
				.map((point) -> new Point(point.throughput(), point.p99Ms(),
						String.format(Locale.ROOT, "%.0f%%", point.fraction() * 100)))
				.toList();
			List<Point> closed = closed(entry.getValue()).stream()
				.filter((point) -> point.completed() > 0)
				.map((point) -> new Point(point.throughput(), point.p99Ms(), String.valueOf(point.callers())))
				.toList();
			if (!open.isEmpty()) {
				series.add(new Series(entry.getKey().label() + " (open loop)", color, false, open));
			}
			series.add(new Series(entry.getKey().label() + " (closed loop)", color, true, closed));
			color++;
		}
		Path file = context.resultsDirectory().resolve(context.filePrefix() + "-load-" + model.name() + ".png");
		String provider = reports.values().iterator().next().provider();
		return LatencyChart.write(file,
				"p99 against throughput: " + model.name() + " model (" + model.nominal() + " a run), " + provider,
				"throughput, runs/s", "p99 latency (log scale)", series);
	}

	private static List<LoadPoint> closed(LoadReport report) {
		return report.points().stream().filter((point) -> point.loop().equals(LoadPoint.CLOSED)).toList();
	}

	private static List<LoadPoint> open(LoadReport report) {
		return report.points().stream().filter((point) -> point.loop().equals(LoadPoint.OPEN)).toList();
	}

	private static Optional<LoadPoint> closedAt(LoadReport report, int callers) {
		return closed(report).stream().filter((point) -> point.callers() == callers).findFirst();
	}

	// the machine's load averages over 1, 5 and 15 minutes, as uptime shows them
	static String uptime() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + ", " + fields[1] + ", " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return String.format(Locale.ROOT, "%.2f", MachineInfo.loadAverage());
		}
	}

	private static String throughput(double perSecond) {
		return String.format(Locale.ROOT, "%,.0f", perSecond);
	}

	// a latency to three significant figures; "–" without a completed call; "≥" when
	// unfinished calls make it a lower bound
	private static String latency(LoadPoint point, double millis) {
		if (point.completed() == 0) {
			return "–";
		}
		String pattern = (millis < 1) ? "%.3f" : (millis < 10) ? "%.2f" : (millis < 100) ? "%.1f" : "%.0f";
		return ((point.unfinished() > 0) ? "≥ " : "") + String.format(Locale.ROOT, pattern, millis);
	}

	private static String ratio(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

}
