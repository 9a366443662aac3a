package io.github.onnxgpu.benchmarks.scenario;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.http.HttpTrialApplication;
import io.github.onnxgpu.benchmarks.report.MachineInfo;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Summary;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.trial.TrialLauncher.Started;

/**
 * Scenario 11: the JVM's AOT cache (Java 25, JEP 483/514/515) for an application with the
 * starter. Fresh Java 25 JVMs of the scenario 6 application (Spring MVC, actuator, the
 * detector and the sequence model, warmed before readiness) start without a cache, with a
 * cache from Spring Boot's training run ({@code -XX:AOTCacheOutput} with
 * {@code -Dspring.context.exit=onRefresh}), and with a cache trained on the warm path (a
 * full start, warmup and requests, then SIGTERM). Measured: JVM start to ready, and the
 * first request after ready against the steady state. Trials of the variants alternate.
 * Besides, Boot's training runs once more with the application configured for a GPU
 * ({@code onnx.cuda.fallback=fail}, TensorRT and tuning on) on this machine, which has
 * none: it must exit 0 and leave a cache.
 * <p>
 * The build never needs Java 25: where none is found, the scenario is skipped with the
 * reason. The quick mode skips it too: one training and three starts take half a minute
 * or more.
 */
public final class AotCacheScenario implements Scenario {

	static final String ID = "11";

	static final String TITLE = "JVM AOT cache (Java 25)";

	static final String NO_CACHE = "no cache";

	static final String BOOT_TRAINING = "Boot's training (onRefresh)";

	static final String WARM_TRAINING = "warm-path training";

	private static final String MEASURES = "JVM start to ready and the first request after ready against steady, "
			+ "without an AOT cache, with one from Spring Boot's training run, and with one trained on the warm path.";

	private static final List<String> JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g");

	private static final String TRAINING_LINE = "AOT cache training run (spring.context.exit=onRefresh)";

	private final DetectorHttpClient http = new DetectorHttpClient();

	private final Map<String, String> environment;

	public AotCacheScenario() {
		this(System.getenv());
	}

	AotCacheScenario(Map<String, String> environment) {
		this.environment = environment;
	}

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		Java25 java = Java25.find(this.environment);
		if (!java.found()) {
			return List.of(ScenarioResult.skipped(ID, TITLE, MEASURES, java.version()));
		}
		if ("quick".equals(context.profile().name())) {
			return List.of(ScenarioResult.skipped(ID, TITLE, MEASURES, "quick mode: a training run and fresh Java "
					+ java.version() + " JVMs take half a minute or more; run the full suite with --scenarios=11"));
		}
		if (context.gpu()) {
			return List.of(ScenarioResult.skipped(ID, TITLE, MEASURES,
					"measured on the CPU: the cache holds classes, not GPU work; run it without --gpu"));
		}
		Path work = context.workDirectory().resolve("aot-cache");
		Launcher launcher = new Launcher(java.java(), classPathFile(work), work);
		List<BenchmarkModel> models = context.models();
		Map<String, Path> images = HttpFirstRequestScenario.writeImages(work, context.detector().warmedShapes());
		List<Training> trainings = new ArrayList<>();
		context.log("AOT cache: Boot's training run");
		trainings.add(trainOnRefresh(launcher, work.resolve("boot.aot"), BOOT_TRAINING, arguments(models, 0)));
		context.log("AOT cache: Boot's training run of the application configured for a GPU");
		List<String> gpuConfigured = new ArrayList<>(arguments(models, 0));
		gpuConfigured.remove("--onnx.cuda.enabled=false");
		gpuConfigured.addAll(List.of("--onnx.cuda.fallback=fail", "--onnx.tensorrt.enabled=true",
				"--onnx.models.detector.tuning.enabled=true"));
		Training gpu = trainOnRefresh(launcher, work.resolve("gpu-configured.aot"), "Boot's training, GPU configured",
				gpuConfigured);
		trainings.add(gpu);
		context.log("AOT cache: warm-path training run");
		trainings.add(trainWarm(context, launcher, work.resolve("warm.aot"), models, images));
		List<Trial> trials = new ArrayList<>();
		for (int trial = 1; trial <= context.profile().trials(); trial++) {
			for (String variant : List.of(NO_CACHE, BOOT_TRAINING, WARM_TRAINING)) {
				context.log("AOT cache: " + variant + ", trial " + trial);
				List<String> options = switch (variant) {
					case BOOT_TRAINING -> cacheOptions(work.resolve("boot.aot"));
					case WARM_TRAINING -> cacheOptions(work.resolve("warm.aot"));
					default -> List.of();
				};
				trials.add(measure(context, launcher, variant, trial, options, models, images));
			}
		}
		return List.of(result(context, java, trials, trainings, gpu));
	}

	// AOTMode=on: a cache that cannot be used stops the JVM rather than measure nothing
	private static List<String> cacheOptions(Path cache) {
		return List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on");
	}

	private Training trainOnRefresh(Launcher launcher, Path cache, String name, List<String> args) {
		List<String> options = List.of("-XX:AOTCacheOutput=" + cache, "-Dspring.context.exit=onRefresh");
		long start = System.nanoTime();
		Finished finished = launcher.runToExit(options, args);
		double seconds = (System.nanoTime() - start) / 1e9;
		if (finished.exitValue() != 0 || !Files.isRegularFile(cache)) {
			throw finished.started()
				.failure(name + " exited with " + finished.exitValue()
						+ (Files.isRegularFile(cache) ? "" : " and wrote no " + cache.getFileName()));
		}
		return new Training(name, seconds, size(cache), finished.output().contains(TRAINING_LINE),
				trainingLine(finished.output()));
	}

	private Training trainWarm(ScenarioContext context, Launcher launcher, Path cache, List<BenchmarkModel> models,
			Map<String, Path> images) {
		int port = DetectorHttpClient.freePort();
		long start = System.nanoTime();
		Started app = launcher.start(List.of("-XX:AOTCacheOutput=" + cache), arguments(models, port));
		try {
			URI base = URI.create("http://127.0.0.1:" + port);
			this.http.awaitReady(app, base, context.profile().trialTimeout());
			for (Path image : images.values()) {
				for (int i = 0; i < context.profile().steadyDiscard() + context.profile().steadyRuns(); i++) {
					this.http.timedPost(base, image);
				}
			}
		}
		catch (RuntimeException ex) {
			app.stop(Duration.ofSeconds(5));
			throw app.failure(WARM_TRAINING + ": " + ex.getMessage());
		}
		// SIGTERM, as an orchestrator stops it; the JVM writes the cache as it exits
		app.process().destroy();
		try {
			if (!app.process().waitFor(context.profile().trialTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				app.process().destroyForcibly();
				throw app.failure(WARM_TRAINING + ": did not exit after SIGTERM");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		if (!Files.isRegularFile(cache)) {
			throw app.failure(WARM_TRAINING + " wrote no " + cache.getFileName());
		}
		return new Training(WARM_TRAINING, seconds, size(cache), false, null);
	}

	private Trial measure(ScenarioContext context, Launcher launcher, String variant, int number, List<String> options,
			List<BenchmarkModel> models, Map<String, Path> images) {
		int port = DetectorHttpClient.freePort();
		double load = MachineInfo.loadAverage();
		long start = System.nanoTime();
		Started app = launcher.start(options, arguments(models, port));
		try {
			URI base = URI.create("http://127.0.0.1:" + port);
			this.http.awaitReady(app, base, context.profile().trialTimeout());
			double ready = (System.nanoTime() - start) / 1e6;
			// as in scenario 6: traffic reaches a pod some time after it turns ready
			DetectorHttpClient.sleep(1000);
			Map<String, Double> first = new LinkedHashMap<>();
			images.forEach((shape, image) -> first.put(shape, this.http.timedPost(base, image)));
			Map<String, Double> steady = new LinkedHashMap<>();
			images.forEach((shape, image) -> {
				for (int i = 0; i < context.profile().steadyDiscard(); i++) {
					this.http.timedPost(base, image);
				}
				List<Double> runs = new ArrayList<>();
				for (int i = 0; i < context.profile().steadyRuns(); i++) {
					runs.add(this.http.timedPost(base, image));
				}
				steady.put(shape, Summary.of(runs).median());
			});
			return new Trial(variant, number, load, ready, first, steady);
		}
		catch (RuntimeException ex) {
			throw app.failure(variant + ": " + ex.getMessage());
		}
		finally {
			app.stop(Duration.ofSeconds(30));
		}
	}

	private static List<String> arguments(List<BenchmarkModel> models, int port) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off", "--management.endpoints.web.exposure.include=health",
				"--management.endpoint.health.probes.enabled=true", "--onnx.cuda.enabled=false"));
		for (BenchmarkModel model : models) {
			String prefix = "--onnx.models." + model.name() + ".";
			args.add(prefix + "location=file:" + model.file().toAbsolutePath());
			List<String> shapes = model.warmedShapes();
			for (int i = 0; i < shapes.size(); i++) {
				args.add(prefix + "warmup.shapes[" + i + "]." + model.input() + "=" + shapes.get(i));
			}
		}
		return args;
	}

	private static ScenarioResult result(ScenarioContext context, Java25 java, List<Trial> trials,
			List<Training> trainings, Training gpu) {
		int rounds = context.profile().trials();
		Table.Builder ready = Table.builder(
				"JVM start to ready (/actuator/health/readiness 200, polled every 50 ms), "
						+ "models warmed; median (min–max) over " + rounds + " fresh Java " + java.version()
						+ " JVMs per variant; ratio to no cache within each round",
				"Variant", "Ready ms", "Ratio to no cache");
		Table.Builder first = Table.builder(
				"First POST /detect after ready at each warmed shape against that shape's steady-state median ("
						+ context.profile().steadyRuns() + " requests after " + context.profile().steadyDiscard()
						+ " untimed); median (min–max) over " + rounds + " fresh JVMs per variant",
				"Variant", "Shape", "First request ms", "Steady p50 ms", "First / p50");
		for (String variant : List.of(NO_CACHE, BOOT_TRAINING, WARM_TRAINING)) {
			List<Trial> ofVariant = trials.stream().filter((trial) -> trial.variant().equals(variant)).toList();
			Summary readyMs = Summary.of(ofVariant.stream().map(Trial::readyMillis).toList());
			List<Double> ratios = new ArrayList<>();
			for (Trial trial : ofVariant) {
				Trial baseline = trials.stream()
					.filter((other) -> other.variant().equals(NO_CACHE) && other.number() == trial.number())
					.findFirst()
					.orElseThrow();
				ratios.add(trial.readyMillis() / baseline.readyMillis());
			}
			ready.row(variant, readyMs.format(0), Summary.of(ratios).format(2));
			for (String shape : ofVariant.get(0).first().keySet()) {
				Summary firstMs = Summary.of(ofVariant.stream().map((trial) -> trial.first().get(shape)).toList());
				Summary steady = Summary.of(ofVariant.stream().map((trial) -> trial.steady().get(shape)).toList());
				Summary ratio = Summary.of(ofVariant.stream()
					.map((trial) -> trial.first().get(shape) / trial.steady().get(shape))
					.toList());
				first.row(variant, shape, firstMs.format(2), steady.format(2), ratio.format(2));
			}
		}
		Table.Builder training = Table.builder("Training runs (one each)", "Training", "Seconds", "Cache MB",
				"Starter's training line");
		for (Training run : trainings) {
			training.row(run.name(), String.format(Locale.ROOT, "%.1f", run.seconds()),
					String.format(Locale.ROOT, "%.0f", run.cacheBytes() / 1e6), run.logged() ? "yes" : "no");
		}
		Summary load = Summary.of(trials.stream().map(Trial::loadAverage).toList());
		List<String> notes = List.of(
				"Each trial is a fresh Java " + java.version() + " JVM (" + java.java() + ") of the scenario 6 "
						+ "application with the detector and the sequence model, both warmed before readiness, on "
						+ "the CPU; the class path is jars only, as the AOT cache needs. Variants alternate within "
						+ "each round, so load on a shared machine hits them alike; 1-minute load average at the "
						+ "trials' starts " + load.format(1) + ".",
				"Boot's training: java -XX:AOTCacheOutput=boot.aot -Dspring.context.exit=onRefresh, the same "
						+ "arguments; the context exits once refreshed, before warmup. Warm-path training: "
						+ "-XX:AOTCacheOutput=warm.aot on a full start, warmup, then "
						+ (context.profile().steadyDiscard() + context.profile().steadyRuns())
						+ " requests per shape, then SIGTERM. Starts with a cache use -XX:AOTCache=<file> "
						+ "-XX:AOTMode=on, so a cache that cannot be used would stop the JVM rather than go "
						+ "unmeasured.",
				"GPU-configured training on this GPU-less machine (onnx.cuda.fallback=fail, TensorRT and tuning on): "
						+ "exit 0, " + String.format(Locale.ROOT, "%.0f", gpu.cacheBytes() / 1e6) + " MB cache; "
						+ "the starter logged: " + ((gpu.line() != null) ? gpu.line() : "(no training line)"));
		return ScenarioResult.completed(ID, TITLE, MEASURES, List.of(ready.build(), first.build(), training.build()),
				List.of(), notes, Map.of("trials", trials, "trainings", trainings));
	}

	private static String trainingLine(String output) {
		return output.lines()
			.filter((line) -> line.contains(TRAINING_LINE))
			.map((line) -> line.substring(line.indexOf(TRAINING_LINE)))
			.findFirst()
			.orElse(null);
	}

	/**
	 * Write this JVM's class path, with every folder packed into a jar (the AOT cache
	 * records classes from jars only), to an argument file.
	 * @param work where the jars and the file go
	 * @return the argument file
	 */
	private static Path classPathFile(Path work) {
		try {
			Path jars = Files.createDirectories(work.resolve("class-path"));
			List<String> entries = new ArrayList<>();
			int folders = 0;
			for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
				Path path = Path.of(entry);
				if (Files.isDirectory(path)) {
					Path jar = jars.resolve((++folders) + "-" + path.getFileName() + ".jar");
					packFolder(path, jar);
					entries.add(jar.toAbsolutePath().toString());
				}
				else if (!entry.isEmpty()) {
					entries.add(path.toAbsolutePath().toString());
				}
			}
			Path file = work.resolve("classpath.args");
			String classPath = String.join(File.pathSeparator, entries).replace("\\", "\\\\").replace("\"", "\\\"");
			Files.writeString(file, "-cp \"" + classPath + "\"\n");
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot prepare the class path", ex);
		}
	}

	private static void packFolder(Path folder, Path jar) throws IOException {
		try (OutputStream out = Files.newOutputStream(jar);
				JarOutputStream jarOut = new JarOutputStream(out);
				Stream<Path> files = Files.walk(folder)) {
			for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
				jarOut.putNextEntry(new JarEntry(folder.relativize(file).toString().replace('\\', '/')));
				Files.copy(file, jarOut);
				jarOut.closeEntry();
			}
		}
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts the application in fresh Java 25 JVMs with the jars-only class path.
	 */
	private static final class Launcher {

		private final Path java;

		private final Path classPathFile;

		private final Path work;

		private int launched;

		Launcher(Path java, Path classPathFile, Path work) {
			this.java = java;
			this.classPathFile = classPathFile;
			this.work = work;
		}

		Started start(List<String> options, List<String> args) {
			Path log = this.work.resolve("aot-trial-" + (++this.launched) + ".log");
			List<String> command = new ArrayList<>();
			command.add(this.java.toString());
			command.addAll(JVM_OPTIONS);
			command.addAll(options);
			command.add("@" + this.classPathFile);
			command.add(HttpTrialApplication.class.getName());
			command.addAll(args);
			try {
				Process process = new ProcessBuilder(command).directory(this.work.toFile())
					.redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
				return new Started(process, log);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start " + this.java, ex);
			}
		}

		Finished runToExit(List<String> options, List<String> args) {
			Started started = start(options, args);
			try {
				if (!started.process().waitFor(5, TimeUnit.MINUTES)) {
					started.process().destroyForcibly();
					throw started.failure("the training run did not exit within 5 minutes");
				}
				return new Finished(started.process().exitValue(), started,
						Files.readString(started.log(), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted", ex);
			}
		}

	}

	private record Finished(int exitValue, Started started, String output) {
	}

	/**
	 * One training run.
	 *
	 * @param name the training
	 * @param seconds how long it took, the cache's creation included
	 * @param cacheBytes the size of the cache file
	 * @param logged whether the starter logged its training-run line
	 * @param line that line, {@code null} when it did not
	 */
	record Training(String name, double seconds, long cacheBytes, boolean logged, String line) {
	}

	/**
	 * One trial's figures.
	 *
	 * @param variant the variant
	 * @param number the round
	 * @param loadAverage the 1-minute load average when it started
	 * @param readyMillis JVM start to ready
	 * @param first the first request's time per shape, ms
	 * @param steady the steady-state median per shape, ms
	 */
	record Trial(String variant, int number, double loadAverage, double readyMillis, Map<String, Double> first,
			Map<String, Double> steady) {
	}

}
