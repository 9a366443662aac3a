package io.github.onnxgpu.benchmarks.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Summary;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.report.TargetCheck;
import io.github.onnxgpu.benchmarks.trial.ProviderSpec;
import io.github.onnxgpu.benchmarks.trial.TrialSpec;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.WarmupSpec;

/**
 * Scenario 5: start-up with the persistent native library cache
 * ({@code onnx.native.cache.enabled} and {@code onnx.native.cache.directory}): time from
 * JVM start to ACCEPTING_TRAFFIC for one model with {@code onnx.cuda.fallback=cpu}, the
 * cache cold (a new empty directory per trial), warm (a directory filled by one untimed
 * start) and disabled. It skips itself, saying why, while the starter on the class path
 * does not have those properties.
 */
public final class NativeCacheScenario implements Scenario {

	static final String ENABLED = "onnx.native.cache.enabled";

	static final String DIRECTORY = "onnx.native.cache.directory";

	static final String PROBE = "onnx.cuda.probe";

	private static final String DISABLED = "cache disabled, CUDA tried";

	private static final String COLD = "cache cold, CUDA tried";

	private static final String WARM = "cache warm, CUDA tried";

	private static final String PROBE_DISABLED = "cache disabled, driver probe";

	private static final String PROBE_COLD = "cache cold, driver probe";

	private static final String PROBE_WARM = "cache warm, driver probe";

	private static final String TITLE = "Native library cache start-up";

	private static final String MEASURES = "Time from JVM start to ReadinessState.ACCEPTING_TRAFFIC for one model "
			+ "with onnx.cuda.fallback=cpu, with the persistent unpack of ONNX Runtime's native libraries cold, "
			+ "warm and disabled; with CUDA really tried (as on a GPU host) and with the default driver probe.";

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		if (!propertiesExist()) {
			context.log("native cache: skipped, " + ENABLED + " is not in this build");
			return List.of(ScenarioResult.skipped("5", TITLE, MEASURES,
					ENABLED + " and " + DIRECTORY
							+ " are not in this build of the starter (no configuration metadata declares them); the "
							+ "scenario runs once the native cache is merged."));
		}
		BenchmarkModel detector = context.detector();
		TrialSpec base = new TrialSpec(List.of(detector.specWarmedAt(detector.warmedShapes().get(0))),
				new WarmupSpec(true, 1, 1), ProviderSpec.cudaOrCpu(), List.of(), 0, 0, 0, 0, Map.of());
		// with the driver probe off, CUDA is really tried: the case the cache is for (a
		// GPU host)
		Map<String, String> cudaTried = Map.of(PROBE, "false");
		// the quick mode's warm starts find what its one cold start unpacked (with a 580
		// MB
		// CUDA provider library): two fresh JVMs fewer, and its figures mean nothing
		// anyway
		boolean primeSeparately = !"quick".equals(context.profile().name());
		Path warmDirectory = directory(context, primeSeparately ? "warm" : "cold-1");
		Path warmProbeDirectory = directory(context, primeSeparately ? "warm-probe" : "cold-probe-1");
		if (primeSeparately) {
			context.log("native cache: priming " + warmDirectory + " and " + warmProbeDirectory);
			context.launcher().starter(base.withExtraProperties(merge(cache(warmDirectory), cudaTried)));
			context.launcher().starter(base.withExtraProperties(cache(warmProbeDirectory)));
		}
		List<TrialRecord> records = new ArrayList<>();
		for (int trial = 1; trial <= context.profile().trials(); trial++) {
			// in this order: cold before warm
			Map<String, Map<String, String>> setups = new LinkedHashMap<>();
			setups.put(DISABLED, merge(Map.of(ENABLED, "false"), cudaTried));
			setups.put(COLD, merge(cache(directory(context, "cold-" + trial)), cudaTried));
			setups.put(WARM, merge(cache(warmDirectory), cudaTried));
			setups.put(PROBE_DISABLED, Map.of(ENABLED, "false"));
			setups.put(PROBE_COLD, cache(directory(context, "cold-probe-" + trial)));
			setups.put(PROBE_WARM, cache(warmProbeDirectory));
			for (Map.Entry<String, Map<String, String>> setup : setups.entrySet()) {
				context.log("native cache: " + setup.getKey() + ", trial " + trial);
				records.add(new TrialRecord(base.provider().label(), setup.getKey(), detector.name(), trial,
						context.launcher().starter(base.withExtraProperties(setup.getValue()))));
			}
		}
		Table.Builder table = Table.builder(
				"JVM start → ready, one model (" + detector.name() + ", warmed at " + detector.warmedShapes().get(0)
						+ " once); median (min–max) over " + context.profile().trials() + " fresh JVMs",
				"Setup", "JVM start → ready ms", "Refresh → ready ms", "Provider set-up ms", "Provider");
		for (String setup : List.of(DISABLED, COLD, WARM, PROBE_DISABLED, PROBE_COLD, PROBE_WARM)) {
			List<TrialRecord> group = records.stream().filter((record) -> record.setup().equals(setup)).toList();
			table.row(setup, Summary.of(group.stream().map((r) -> r.report().jvmStartToReadyMs()).toList()).format(0),
					Summary.of(group.stream().map((r) -> r.report().refreshToReadyMs()).toList()).format(0),
					Summary.of(group.stream().map((r) -> r.report().models().get(0).providerSetupMs()).toList())
						.format(1),
					group.get(0).report().models().get(0).provider());
		}
		double disabled = median(records, DISABLED, (r) -> r.report().jvmStartToReadyMs());
		double warm = median(records, WARM, (r) -> r.report().jvmStartToReadyMs());
		double warmSetup = median(records, WARM, (r) -> r.report().models().get(0).providerSetupMs());
		List<TargetCheck> targets = List.of(
				new TargetCheck("JVM start → ready, warm cache against disabled, CUDA tried", "at least 4000 ms faster",
						String.format("%.0f ms faster", disabled - warm), disabled - warm >= 4000),
				new TargetCheck("CUDA attempt (provider set-up) with a warm cache", "under 50 ms",
						String.format("%.1f ms", warmSetup), warmSetup < 50));
		return List.of(ScenarioResult.completed("5", TITLE, MEASURES, List.of(table.build()), targets, List.of(
				"'CUDA tried' rows set onnx.cuda.probe=false, so the CUDA provider is really added, as on a GPU "
						+ "host: ONNX Runtime loads the 580 MB provider library (unpacking it first without the cache) "
						+ "and, with no GPU here, falls back to the CPU.",
				"'driver probe' rows keep the default onnx.cuda.probe=true: on this host without an NVIDIA "
						+ "driver CUDA is not tried at all, and the cache leaves the GPU provider libraries out.",
				"Provider set-up is the time to choose and add the execution provider (OnnxModel.providerSetup)."),
				records));
	}

	private static double median(List<TrialRecord> records, String setup,
			java.util.function.ToDoubleFunction<TrialRecord> value) {
		double[] values = records.stream()
			.filter((record) -> record.setup().equals(setup))
			.mapToDouble(value)
			.sorted()
			.toArray();
		return (values.length % 2 == 1) ? values[values.length / 2]
				: (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
	}

	private static Map<String, String> merge(Map<String, String> first, Map<String, String> second) {
		Map<String, String> merged = new LinkedHashMap<>(first);
		merged.putAll(second);
		return merged;
	}

	private static Map<String, String> cache(Path directory) {
		return Map.of(ENABLED, "true", DIRECTORY, directory.toAbsolutePath().toString());
	}

	private static Path directory(ScenarioContext context, String name) {
		try {
			return Files.createDirectories(context.workDirectory().resolve("native-cache-" + name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Whether the starter on the class path declares the cache properties in its
	 * configuration metadata.
	 * @return whether they exist
	 */
	static boolean propertiesExist() {
		try {
			Enumeration<URL> metadata = NativeCacheScenario.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json");
			while (metadata.hasMoreElements()) {
				try (InputStream in = metadata.nextElement().openStream()) {
					if (new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"" + ENABLED + "\"")) {
						return true;
					}
				}
			}
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the configuration metadata", ex);
		}
	}

}
