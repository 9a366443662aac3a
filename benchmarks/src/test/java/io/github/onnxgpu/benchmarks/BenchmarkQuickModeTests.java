package io.github.onnxgpu.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.SuiteResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick mode CI runs: every scenario once on small shapes, in fresh JVMs as the full
 * suite does. It asserts that the suite completes and writes its files, never timings.
 */
class BenchmarkQuickModeTests {

	private static final Path OUTPUT = Path.of(System.getProperty("benchmarks.quick.output", "target/quick-results"));

	@Test
	void quickModeRunsEveryScenarioAndWritesTheResultFiles() throws Exception {
		BenchmarkSuite.Outcome outcome = new BenchmarkSuite(BenchmarkOptions.parse("--quick", "--output=" + OUTPUT),
				System.out)
			.run();

		assertThat(outcome.files()).containsExactly(OUTPUT.resolve("cpu-quick-results.json"),
				OUTPUT.resolve("cpu-quick-results.md"));
		assertThat(outcome.files()).allMatch(Files::isRegularFile);
		SuiteResult result = outcome.result();
		assertThat(result.status()).as(failures(result)).isEqualTo(ScenarioResult.COMPLETED);
		assertThat(result.scenarios()).extracting(ScenarioResult::id)
			.containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
		assertThat(result.scenarios()).extracting(ScenarioResult::status)
			.allMatch((status) -> status.equals(ScenarioResult.COMPLETED) || status.equals(ScenarioResult.SKIPPED));
		assertThat(result.scenarios().subList(0, 4)).extracting(ScenarioResult::status)
			.containsOnly(ScenarioResult.COMPLETED);
		Map<?, ?> json = Json.read(outcome.files().get(0), Map.class);
		assertThat(result.scenarios().subList(6, 8)).extracting(ScenarioResult::status)
			.containsOnly(ScenarioResult.COMPLETED);
		assertThat(result.scenarios().get(9).status()).isEqualTo(ScenarioResult.COMPLETED);
		// a training run and fresh Java 25 JVMs take too long for the quick mode
		assertThat(result.scenarios().get(10).status()).isEqualTo(ScenarioResult.SKIPPED);
		assertThat(result.scenarios().get(10).skipReason()).containsAnyOf("quick mode", "no Java 25");
		assertThat((List<?>) json.get("scenarios")).hasSize(11);
		assertThat(Files.readString(outcome.files().get(1))).contains("## 1. First request after ready vs steady state",
				"## 5. Native library cache start-up", "## 6. First HTTP request after readiness",
				"## 7. Zero-copy runs", "## 8. Zero-copy runs", "## 10. Start-up tuning",
				"ONNX Runtime | " + result.machine().ortVersion());
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
