package io.github.onnxgpu.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.onnxgpu.benchmarks.report.MachineInfo;
import io.github.onnxgpu.benchmarks.report.ResultFiles;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.SuiteResult;
import io.github.onnxgpu.benchmarks.scenario.AotCacheScenario;
import io.github.onnxgpu.benchmarks.scenario.FirstRequestScenario;
import io.github.onnxgpu.benchmarks.scenario.HttpFirstRequestScenario;
import io.github.onnxgpu.benchmarks.scenario.LoadScenario;
import io.github.onnxgpu.benchmarks.scenario.NativeCacheScenario;
import io.github.onnxgpu.benchmarks.scenario.OverheadScenario;
import io.github.onnxgpu.benchmarks.scenario.ReloadScenario;
import io.github.onnxgpu.benchmarks.scenario.Scenario;
import io.github.onnxgpu.benchmarks.scenario.ScenarioContext;
import io.github.onnxgpu.benchmarks.scenario.TensorrtCacheScenario;
import io.github.onnxgpu.benchmarks.scenario.TuningScenario;
import io.github.onnxgpu.benchmarks.scenario.WarmupCostScenario;
import io.github.onnxgpu.benchmarks.scenario.ZeroCopyScenario;
import io.github.onnxgpu.benchmarks.trial.TrialLauncher;

/**
 * Runs the scenarios on the CPU or on CUDA and writes the result files. A GPU suite on a
 * machine where CUDA cannot run writes its files too, every scenario marked skipped with
 * ONNX Runtime's reason.
 */
public final class BenchmarkSuite {

	private final BenchmarkOptions options;

	private final PrintStream progress;

	/**
	 * Create a suite.
	 * @param options the options
	 * @param progress where progress is reported
	 */
	public BenchmarkSuite(BenchmarkOptions options, PrintStream progress) {
		this.options = options;
		this.progress = progress;
	}

	/**
	 * Run the suite and write its result files.
	 * @return the results and the files written
	 */
	public Outcome run() {
		Instant start = Instant.now();
		Path work = createWorkDirectory();
		BenchmarkProfile defaults = this.options.quick() ? BenchmarkProfile.quick()
				: BenchmarkProfile.full(this.options.trials());
		BenchmarkProfile profile = defaults
			.withLoad(defaults.load().only(this.options.loadModels(), this.options.loadConfigurations()));
		List<BenchmarkModel> models = BenchmarkModel.generate(work.resolve("models"), profile);
		TrialLauncher launcher = new TrialLauncher(work, profile.trialTimeout());
		log("probing ONNX Runtime" + (this.options.gpu() ? " and CUDA" : "") + " (work directory " + work + ")");
		@SuppressWarnings("unchecked")
		Map<String, Object> environment = Json
			.read(launcher.probeEnvironment(this.options.gpu() ? models.get(0).file() : null), Map.class);
		@SuppressWarnings("unchecked")
		MachineInfo machine = MachineInfo.detect((String) environment.get("ortVersion"),
				(List<String>) environment.get("providers"), this.options.gpu() ? "CUDA" : "CPU");
		String cudaError = (String) environment.get("cudaError");
		List<ScenarioResult> results;
		String skipReason = null;
		if (this.options.gpu() && cudaError != null) {
			skipReason = "no usable CUDA GPU on this machine, ONNX Runtime says: " + cudaError;
			log("GPU MODE SKIPPED: " + skipReason);
			results = skippedScenarios(skipReason);
		}
		else {
			ScenarioContext context = new ScenarioContext(profile, models, this.options.gpu(), launcher, work,
					this.options.output(), this.options.filePrefix(), this.progress);
			results = runScenarios(context);
		}
		boolean failed = results.stream().anyMatch((result) -> ScenarioResult.FAILED.equals(result.status()));
		String status = failed ? ScenarioResult.FAILED
				: (skipReason != null) ? ScenarioResult.SKIPPED : ScenarioResult.COMPLETED;
		SuiteResult suite = new SuiteResult(this.options.gpu() ? "gpu" : "cpu", profile.name(), status, skipReason,
				Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
				Duration.between(start, Instant.now()).toSeconds(), command(), machine, MachineInfo.loadAverage(),
				profile, results);
		List<Path> files = ResultFiles.write(this.options.output(), this.options.resultName(), suite);
		if (!failed) {
			deleteQuietly(work);
		}
		else {
			log("trial specs and logs kept in " + work);
		}
		return new Outcome(suite, files);
	}

	private List<ScenarioResult> runScenarios(ScenarioContext context) {
		List<ScenarioResult> results = new ArrayList<>();
		run(context, results, "1,2", "First request after ready; unwarmed shape and iterations",
				new FirstRequestScenario(), this.options.runs("1") || this.options.runs("2"));
		run(context, results, "3", "Per-call overhead", new OverheadScenario(), this.options.runs("3"));
		run(context, results, "4", "Warmup cost", new WarmupCostScenario(), this.options.runs("4"));
		run(context, results, "5", "Native library cache start-up", new NativeCacheScenario(), this.options.runs("5"));
		run(context, results, "6", "First HTTP request after readiness", new HttpFirstRequestScenario(),
				this.options.runs("6"));
		run(context, results, "7,8", "Zero-copy runs", new ZeroCopyScenario(),
				this.options.runs("7") || this.options.runs("8"));
		run(context, results, "9", "TensorRT engine cache against CUDA", new TensorrtCacheScenario(),
				this.options.runs("9"));
		run(context, results, "10", "Start-up tuning", new TuningScenario(), this.options.runs("10"));
		run(context, results, "11", "JVM AOT cache (Java 25)", new AotCacheScenario(), this.options.runs("11"));
		run(context, results, LoadScenario.ID, LoadScenario.TITLE, new LoadScenario(), this.options.runs("12"));
		run(context, results, "13", "Reloads under load", new ReloadScenario(), this.options.runs("13"));
		return results;
	}

	private void run(ScenarioContext context, List<ScenarioResult> results, String id, String title, Scenario scenario,
			boolean enabled) {
		if (!enabled) {
			return;
		}
		long start = System.nanoTime();
		try {
			results.addAll(scenario.run(context));
			log("scenario " + id + " done in " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
		}
		catch (RuntimeException ex) {
			log("scenario " + id + " FAILED: " + ex.getMessage());
			results.add(ScenarioResult.failed(id, title, String.valueOf(ex.getMessage())));
		}
	}

	private static List<ScenarioResult> skippedScenarios(String reason) {
		return List.of(ScenarioResult.skipped("1", "First request after ready vs steady state", "", reason),
				ScenarioResult.skipped("2", "Unwarmed shape, and warmup iterations 1, 2, 3", "", reason),
				ScenarioResult.skipped("3", "Per-call overhead of the starter's inference path", "", reason),
				ScenarioResult.skipped("4", "Warmup cost", "", reason),
				ScenarioResult.skipped("5", "Native library cache start-up", "", reason),
				ScenarioResult.skipped("6", "First HTTP request after readiness", "", reason),
				ScenarioResult.skipped("7", "Zero-copy runs: allocation and latency per call", "", reason),
				ScenarioResult.skipped("8", "Zero-copy runs: resident memory over a soak", "", reason),
				ScenarioResult.skipped("9", "TensorRT engine cache against CUDA", "", reason),
				ScenarioResult.skipped("10", "Start-up tuning", "", reason),
				ScenarioResult.skipped("11", "JVM AOT cache (Java 25)", "", reason),
				ScenarioResult.skipped(LoadScenario.ID, LoadScenario.TITLE, "", reason),
				ScenarioResult.skipped("13", "Reloads under load", "", reason));
	}

	private String command() {
		StringBuilder command = new StringBuilder("java -jar benchmarks/target/benchmarks.jar");
		if (this.options.quick()) {
			command.append(" --quick");
		}
		if (this.options.gpu()) {
			command.append(" --gpu");
		}
		if (!this.options.quick()) {
			command.append(" --trials=").append(this.options.trials());
		}
		if (!this.options.scenarios().equals(BenchmarkOptions.parse().scenarios())) {
			command.append(" --scenarios=")
				.append(String.join(",",
						this.options.scenarios().stream().sorted(Comparator.comparingInt(Integer::parseInt)).toList()));
		}
		if (this.options.loadModels() != null) {
			command.append(" --load-models=").append(String.join(",", this.options.loadModels()));
		}
		if (this.options.loadConfigurations() != null) {
			command.append(" --load-configurations=").append(String.join(",", this.options.loadConfigurations()));
		}
		return command.toString();
	}

	private void log(String message) {
		this.progress.println("[benchmarks] " + message);
		this.progress.flush();
	}

	private static Path createWorkDirectory() {
		try {
			return Files.createTempDirectory("onnx-benchmarks-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a work directory", ex);
		}
	}

	private static void deleteQuietly(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory; the system cleans it up eventually
		}
	}

	/**
	 * What a run produced.
	 *
	 * @param result the results
	 * @param files the files written
	 */
	public record Outcome(SuiteResult result, List<Path> files) {
	}

}
