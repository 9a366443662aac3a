package io.github.onnxgpu.benchmarks;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.SuiteResult;
import io.github.onnxgpu.benchmarks.report.Table;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick mode: scenarios once on small shapes, in fresh JVMs as the full suite does.
 * It asserts that the suite completes, writes its files and fills its tables, and the
 * outcomes that do not depend on the machine (a second start on the same tuning cache is
 * CACHED), never timings. The build runs the harness on the first-request scenarios
 * (trials in fresh JVMs, tables, result files) and the skips that need no trial; every
 * scenario, with the checks of scenarios 5, 10 and 12, runs with the
 * {@code benchmarks-quick} profile ({@code -Pbenchmarks-quick}, tag
 * {@value #EVERY_SCENARIO}), as it takes minutes.
 */
class BenchmarkQuickModeTests {

	/**
	 * The tag of the run of every scenario, excluded from the build but for the
	 * {@code benchmarks-quick} profile.
	 */
	static final String EVERY_SCENARIO = "benchmarks-quick";

	private static final String LOAD_PICTURE = "cpu-quick-load-tiny.png";

	private static final Path OUTPUT = Path.of(System.getProperty("benchmarks.quick.output", "target/quick-results"));

	@Test
	void quickModeOfTheFirstRequestScenariosRunsTheirTrialsInFreshJvmsAndWritesTheResultFiles() throws Exception {
		Path output = OUTPUT.resolve("smoke");
		BenchmarkSuite.Outcome outcome = new BenchmarkSuite(
				BenchmarkOptions.parse("--quick", "--scenarios=1,2", "--output=" + output), System.out)
			.run();

		assertThat(outcome.files()).containsExactly(output.resolve("cpu-quick-results.json"),
				output.resolve("cpu-quick-results.md"));
		assertThat(outcome.files()).allMatch(Files::isRegularFile);
		SuiteResult result = outcome.result();
		assertThat(result.status()).as(failures(result)).isEqualTo(ScenarioResult.COMPLETED);
		assertThat(result.scenarios()).extracting(ScenarioResult::id).containsExactly("1", "2");
		assertThat(result.scenarios()).extracting(ScenarioResult::status).containsOnly(ScenarioResult.COMPLETED);
		assertTablesFilled(result);
		Map<?, ?> json = Json.read(outcome.files().get(0), Map.class);
		assertThat((List<?>) json.get("scenarios")).hasSize(2);
		assertThat(Files.readString(outcome.files().get(1))).contains("## 1. First request after ready vs steady state",
				"## 2. Unwarmed shape, and warmup iterations 1, 2, 3",
				"ONNX Runtime | " + result.machine().ortVersion());
	}

	@Test
	@Tag(EVERY_SCENARIO)
	void quickModeRunsEveryScenarioAndWritesTheResultFiles() throws Exception {
		// the load scenario's picture must come from this run, not an earlier build's
		Files.deleteIfExists(OUTPUT.resolve(LOAD_PICTURE));
		BenchmarkSuite.Outcome outcome = new BenchmarkSuite(BenchmarkOptions.parse("--quick", "--output=" + OUTPUT),
				System.out)
			.run();

		assertThat(outcome.files()).containsExactly(OUTPUT.resolve("cpu-quick-results.json"),
				OUTPUT.resolve("cpu-quick-results.md"));
		assertThat(outcome.files()).allMatch(Files::isRegularFile);
		SuiteResult result = outcome.result();
		assertThat(result.status()).as(failures(result)).isEqualTo(ScenarioResult.COMPLETED);
		assertThat(result.scenarios()).extracting(ScenarioResult::id)
			.containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13");
		// only TensorRT (9) may skip without --gpu, and the AOT cache training (11) in
		// quick mode;
		// the native cache (5) is in this build, so a skip there is a broken build, shown
		// with its reason
		assertThat(result.scenarios())
			.filteredOn((scenario) -> !scenario.id().equals("9") && !scenario.id().equals("11"))
			.as(failures(result))
			.extracting(ScenarioResult::status)
			.containsOnly(ScenarioResult.COMPLETED);
		assertThat(scenario(result, "9").skipReason()).contains("NVIDIA GPUs only");
		assertTablesFilled(result);
		assertNativeCacheRows(scenario(result, "5"));
		assertSecondTuningStartIsCached(scenario(result, "10"));
		assertLoadRowsAndPicture(scenario(result, "12"));
		Map<?, ?> json = Json.read(outcome.files().get(0), Map.class);
		// a training run and fresh Java 25 JVMs take too long for the quick mode
		assertThat(scenario(result, "11").status()).isEqualTo(ScenarioResult.SKIPPED);
		assertThat(scenario(result, "11").skipReason()).containsAnyOf("quick mode", "no Java 25");
		assertThat((List<?>) json.get("scenarios")).hasSize(13);
		assertThat(Files.readString(outcome.files().get(1))).contains("## 1. First request after ready vs steady state",
				"## 5. Native library cache start-up", "## 6. First HTTP request after readiness",
				"## 7. Zero-copy runs", "## 8. Zero-copy runs", "## 10. Start-up tuning",
				"| tuning, cache hit | CACHED |", "## 12. Serving under load", "(cpu-quick-load-tiny.png)",
				"ONNX Runtime | " + result.machine().ortVersion());
	}

	private static void assertTablesFilled(SuiteResult result) {
		assertThat(result.scenarios()).filteredOn((scenario) -> scenario.status().equals(ScenarioResult.COMPLETED))
			.allSatisfy((scenario) -> assertThat(scenario.tables()).as("tables of scenario %s", scenario.id())
				.isNotEmpty()
				.allSatisfy((table) -> assertThat(table.rows()).as("rows of '%s'", table.caption())
					.isNotEmpty()
					.allSatisfy((row) -> assertThat(row).hasSameSizeAs(table.headers()))));
	}

	private static void assertNativeCacheRows(ScenarioResult nativeCache) {
		assertThat(nativeCache.tables()).singleElement()
			.satisfies((table) -> assertThat(table.rows()).extracting((row) -> row.get(0))
				.containsExactly("cache disabled, CUDA tried", "cache cold, CUDA tried", "cache warm, CUDA tried",
						"cache disabled, driver probe", "cache cold, driver probe", "cache warm, driver probe"));
	}

	private static void assertSecondTuningStartIsCached(ScenarioResult tuning) {
		Table ready = table(tuning, "Getting ready");
		assertThat(ready.rows()).extracting((row) -> row.get(0))
			.containsExactly("tuning, empty cache", "tuning, cache hit", "tuning disabled");
		int status = ready.headers().indexOf("Tuning status");
		assertThat(ready.rows().get(0).get(status)).isEqualTo("TUNED");
		assertThat(ready.rows().get(1).get(status)).isEqualTo("CACHED");
		assertThat(tuning.targets()).filteredOn((target) -> target.subject().startsWith("A second start"))
			.singleElement()
			.satisfies((target) -> {
				assertThat(target.observed()).isEqualTo("CACHED in 1 of 1 starts");
				assertThat(target.met()).isTrue();
			});
		// one start with an empty cache: exactly one candidate chosen, once
		Table choice = table(tuning, "Per candidate");
		int chosen = choice.headers().indexOf("Chosen by the tuner");
		assertThat(choice.rows()).hasSizeGreaterThanOrEqualTo(2);
		assertThat(choice.rows()).extracting((row) -> row.get(chosen)).filteredOn("1 of 1"::equals).hasSize(1);
		assertThat(choice.rows()).extracting((row) -> row.get(chosen)).containsOnly("1 of 1", "0 of 1");
	}

	// the quick load scenario: the tiny model unbatched and batched on 2 instances, at 1
	// and 4 callers (closed loop) and one arrival rate (open loop), and its picture
	private static void assertLoadRowsAndPicture(ScenarioResult load) throws Exception {
		Table closed = table(load, "tiny (");
		assertThat(closed.rows()).extracting((row) -> row.get(0) + " @ " + row.get(1))
			.containsExactly("unbatched, 1 session @ 1", "unbatched, 1 session @ 4", "batching + 2 instances @ 1",
					"batching + 2 instances @ 4");
		// every configuration served calls (a configuration the starter does not know
		// would be a "not run" row)
		assertThat(closed.rows()).allSatisfy((row) -> assertThat(row.get(2)).matches("[0-9,]+").isNotEqualTo("0"));
		Table open = table(load, "tiny, open loop");
		assertThat(open.rows()).extracting((row) -> row.get(0))
			.containsExactly("unbatched, 1 session", "batching + 2 instances");
		assertThat(load.notes()).anySatisfy((note) -> assertThat(note).contains("sized for about 0.1 ms"))
			.anySatisfy((note) -> assertThat(note).contains("machine load (uptime"))
			.anySatisfy((note) -> assertThat(note).startsWith("tiny, batching + 2 instances: "
					+ "onnx.models.tiny.batching.enabled=true, onnx.models.tiny.instances=2;"));
		assertThat(OUTPUT.resolve(LOAD_PICTURE)).isRegularFile();
		BufferedImage picture = ImageIO.read(OUTPUT.resolve(LOAD_PICTURE).toFile());
		assertThat(picture).as("the PNG of p99 against throughput").isNotNull();
		assertThat(picture.getWidth()).isGreaterThan(picture.getHeight());
	}

	private static ScenarioResult scenario(SuiteResult result, String id) {
		return result.scenarios().stream().filter((scenario) -> scenario.id().equals(id)).findFirst().orElseThrow();
	}

	private static Table table(ScenarioResult scenario, String captionStart) {
		return scenario.tables()
			.stream()
			.filter((table) -> table.caption().startsWith(captionStart))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No table '" + captionStart + "...' in scenario " + scenario.id()));
	}

	@Test
	void tensorrtScenarioSaysWhyItIsSkippedOnTheCpu() throws Exception {
		BenchmarkSuite.Outcome outcome = new BenchmarkSuite(
				BenchmarkOptions.parse("--quick", "--scenarios=9", "--output=" + OUTPUT.resolve("tensorrt")),
				System.out)
			.run();

		assertThat(outcome.result().scenarios()).singleElement().satisfies((scenario) -> {
			assertThat(scenario.id()).isEqualTo("9");
			assertThat(scenario.status()).isEqualTo(ScenarioResult.SKIPPED);
			assertThat(scenario.skipReason()).contains("NVIDIA GPUs only", "--gpu");
		});
	}

	@Test
	void gpuModeSaysWhyItWasSkippedWhereCudaCannotRun() throws Exception {
		BenchmarkSuite.Outcome outcome = new BenchmarkSuite(
				BenchmarkOptions.parse("--quick", "--gpu", "--scenarios=5", "--output=" + OUTPUT), System.out)
			.run();

		SuiteResult result = outcome.result();
		assertThat(result.status()).as(failures(result)).isIn(ScenarioResult.SKIPPED, ScenarioResult.COMPLETED);
		if (result.status().equals(ScenarioResult.SKIPPED)) {
			assertThat(result.skipReason()).startsWith("no usable CUDA GPU on this machine");
			assertThat(result.scenarios()).extracting(ScenarioResult::status).containsOnly(ScenarioResult.SKIPPED);
			assertThat(Files.readString(OUTPUT.resolve("gpu-quick-results.md")))
				.contains("**Skipped:** no usable CUDA GPU");
		}
	}

	private static String failures(SuiteResult result) {
		return result.scenarios()
			.stream()
			.filter((scenario) -> !ScenarioResult.COMPLETED.equals(scenario.status()))
			.map((scenario) -> scenario.id() + " " + scenario.status() + ": " + scenario.skipReason())
			.toList()
			.toString();
	}

}
