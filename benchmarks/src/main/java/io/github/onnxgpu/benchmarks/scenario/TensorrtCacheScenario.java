package io.github.onnxgpu.benchmarks.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Summary;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.trial.ProviderSpec;
import io.github.onnxgpu.benchmarks.trial.TrialReport.ModelReport;
import io.github.onnxgpu.benchmarks.trial.TrialReport.ProbeReport;
import io.github.onnxgpu.benchmarks.trial.TrialSpec;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.WarmupSpec;

/**
 * Scenario 7 (GPU only): the detector on TensorRT with a cold engine cache (a new folder:
 * TensorRT builds the engine) and a warm one (the folder the cold trial filled), against
 * CUDA with cuDNN's EXHAUSTIVE and HEURISTIC algorithm search. Per setup: JVM start to
 * ACCEPTING_TRAFFIC, and per shape the first request after ready and the steady-state
 * median. Every trial is a fresh JVM with the starter's default warmup.
 */
public final class TensorrtCacheScenario implements Scenario {

	static final String ID = "9";

	static final String TITLE = "TensorRT engine cache against CUDA";

	static final String MEASURES = "Start-up to ready, first request and steady p50 per shape for the detector on "
			+ "TensorRT with a cold and a warm engine cache, and on CUDA with EXHAUSTIVE and HEURISTIC search.";

	private static final String COLD = "tensorrt, cold engine cache";

	private static final String WARM = "tensorrt, warm engine cache";

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		if (!context.gpu()) {
			return List.of(ScenarioResult.skipped(ID, TITLE, MEASURES,
					"TensorRT runs on NVIDIA GPUs only: run the suite with --gpu on a machine with one"));
		}
		BenchmarkModel model = context.detector();
		List<TrialRecord> records = new ArrayList<>();
		for (int trial = 1; trial <= context.profile().trials(); trial++) {
			Path cache = newCache(context, trial);
			records.add(runTrial(context, model, COLD, ProviderSpec.cuda(null, null), tensorrt(cache), trial));
			records.add(runTrial(context, model, WARM, ProviderSpec.cuda(null, null), tensorrt(cache), trial));
			for (String search : List.of("EXHAUSTIVE", "HEURISTIC")) {
				records.add(runTrial(context, model, "cuda algo=" + search, ProviderSpec.cuda(search, null), Map.of(),
						trial));
			}
		}
		List<String> notOnTensorrt = records.stream()
			.filter((record) -> record.setup().startsWith("tensorrt"))
			.flatMap((record) -> record.report().models().stream())
			.map(ModelReport::provider)
			.filter((provider) -> !"TENSOR_RT".equals(provider))
			.distinct()
			.toList();
		if (!notOnTensorrt.isEmpty()) {
			return List.of(ScenarioResult.skipped(ID, TITLE, MEASURES, "the TensorRT provider could not be added "
					+ "here (the model ran on " + notOnTensorrt + "): install TensorRT 10 (libnvinfer)"));
		}
		return List.of(result(context, records));
	}

	private static Map<String, String> tensorrt(Path cache) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("onnx.tensorrt.enabled", "true");
		properties.put("onnx.tensorrt.engine-cache.directory", cache.toString());
		properties.put("onnx.tensorrt.timing-cache.directory", cache.toString());
		return properties;
	}

	private static Path newCache(ScenarioContext context, int trial) {
		try {
			return Files.createDirectories(context.workDirectory().resolve("tensorrt-cache-" + trial));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static TrialRecord runTrial(ScenarioContext context, BenchmarkModel model, String setup,
			ProviderSpec provider, Map<String, String> properties, int trial) {
		TrialSpec spec = new TrialSpec(List.of(model.spec()), new WarmupSpec(true, 3, 1), provider, model.probes(),
				context.profile().steadyDiscard(), context.profile().steadyRuns(), 0, 0, properties);
		context.log("tensorrt cache: " + model.name() + ", " + setup + ", trial " + trial);
		return new TrialRecord(provider.label(), setup, model.name(), trial, context.launcher().starter(spec));
	}

	private static ScenarioResult result(ScenarioContext context, List<TrialRecord> records) {
		Table.Builder ready = Table.builder(
				"JVM start to ready; median (min–max) ms over " + context.profile().trials() + " fresh JVMs", "Setup",
				"JVM start → ready ms", "Session creation ms", "Warmup ms");
		Table.Builder shapes = Table.builder("Per shape after ready; median (min–max) ms", "Setup", "Shape", "Warmed",
				"First request ms", "Steady p50 ms");
		Map<String, List<TrialRecord>> bySetup = new LinkedHashMap<>();
		records.forEach((record) -> bySetup.computeIfAbsent(record.setup(), (key) -> new ArrayList<>()).add(record));
		bySetup.forEach((setup, group) -> {
			ready.row(setup, summary(group.stream().map((r) -> r.report().jvmStartToReadyMs()).toList()),
					summary(group.stream().map((r) -> model(r).sessionCreationMs()).toList()),
					summary(group.stream().map((r) -> model(r).warmupMs()).toList()));
			Map<String, List<ProbeReport>> byShape = new LinkedHashMap<>();
			group.forEach((record) -> record.report()
				.probes()
				.forEach((probe) -> byShape.computeIfAbsent(probe.shape(), (key) -> new ArrayList<>()).add(probe)));
			byShape.forEach((shape, probes) -> shapes.row(setup, shape, probes.get(0).warmed() ? "yes" : "no",
					summary(probes.stream().map(ProbeReport::firstMs).toList()),
					summary(probes.stream().map(ProbeReport::steadyP50Ms).toList())));
		});
		return ScenarioResult.completed(ID, TITLE, MEASURES, List.of(ready.build(), shapes.build()), List.of(),
				List.of("The warm-cache trial reuses the folder its cold trial filled, in a new JVM.",
						"With a profile (derived from the warmup shapes) ONNX Runtime builds or loads the engine "
								+ "while creating the session; the unwarmed shape lies outside the profile, so its "
								+ "first request on TensorRT includes a new engine build."),
				records);
	}

	private static ModelReport model(TrialRecord record) {
		return record.report().models().get(0);
	}

	private static String summary(List<Double> values) {
		List<Double> present = values.stream().filter((value) -> value != null).toList();
		return present.isEmpty() ? "–" : Summary.of(present).format(0);
	}

}
