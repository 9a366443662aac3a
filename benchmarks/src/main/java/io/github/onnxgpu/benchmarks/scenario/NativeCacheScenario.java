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

	private static final String TITLE = "Native library cache start-up";

	private static final String MEASURES = "Time from JVM start to ReadinessState.ACCEPTING_TRAFFIC for one model "
			+ "with onnx.cuda.fallback=cpu, with the persistent unpack of ONNX Runtime's native libraries cold, "
			+ "warm and disabled.";

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		if (!propertiesExist()) {
			context.log("native cache: skipped, " + ENABLED + " is not in this build");
			return List.of(ScenarioResult.skipped("5", TITLE, MEASURES, ENABLED + " and " + DIRECTORY
					+ " are not in this build of the starter (no configuration metadata declares them); the "
							+ "scenario runs once the native cache is merged."));
		}
		BenchmarkModel detector = context.detector();
		TrialSpec base = new TrialSpec(List.of(detector.specWarmedAt(detector.warmedShapes().get(0))),
				new WarmupSpec(true, 1, 1), ProviderSpec.cudaOrCpu(), List.of(), 0, 0, 0, 0, Map.of());
		Path warmDirectory = directory(context, "warm");
		context.log("native cache: priming " + warmDirectory);
		context.launcher().starter(base.withExtraProperties(cache(warmDirectory)));
		List<TrialRecord> records = new ArrayList<>();
		for (int trial = 1; trial <= context.profile().trials(); trial++) {
			Map<String, Map<String, String>> setups = new LinkedHashMap<>();
			setups.put("cache disabled", Map.of(ENABLED, "false"));
			setups.put("cache cold", cache(directory(context, "cold-" + trial)));
			setups.put("cache warm", cache(warmDirectory));
			for (Map.Entry<String, Map<String, String>> setup : setups.entrySet()) {
				context.log("native cache: " + setup.getKey() + ", trial " + trial);
				records.add(new TrialRecord(base.provider().label(), setup.getKey(), detector.name(), trial,
						context.launcher().starter(base.withExtraProperties(setup.getValue()))));
			}
		}
		Table.Builder table = Table.builder("JVM start → ready, one model (" + detector.name() + ", warmed at "
				+ detector.warmedShapes().get(0) + " once); median (min–max) over " + context.profile().trials()
				+ " fresh JVMs", "Setup", "JVM start → ready ms", "Refresh → ready ms", "Provider");
		for (String setup : List.of("cache disabled", "cache cold", "cache warm")) {
			List<TrialRecord> group = records.stream().filter((record) -> record.setup().equals(setup)).toList();
			table.row(setup, Summary.of(group.stream().map((r) -> r.report().jvmStartToReadyMs()).toList()).format(0),
					Summary.of(group.stream().map((r) -> r.report().refreshToReadyMs()).toList()).format(0),
					group.get(0).report().models().get(0).provider());
		}
		return List.of(ScenarioResult.completed("5", TITLE, MEASURES, List.of(table.build()), List.of(),
				List.of("Without a GPU, CUDA fails to load and the model falls back to the CPU: the cache then saves "
						+ "only what unpacking costs before that failure."),
				records));
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
