package io.github.onnxgpu.boot.internal.tuning;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.GpuAvailability;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Start-up tuning over the default CUDA candidates on a real GPU. Only with {@code -Pgpu}
 * on a machine where ONNX Runtime's CUDA provider loads; reported as skipped, with the
 * reason, everywhere else.
 */
class TuningGpuTests {

	private static final String SEARCH = "cuda.cudnn-conv-algo-search";

	private static final String PAD = "cuda.cudnn-conv1d-pad-to-nc1d";

	@TempDir
	Path models;

	@TempDir
	Path cache;

	@BeforeEach
	void requireGpu() {
		assumeTrue(Boolean.getBoolean("onnxgpu.test.gpu"), "GPU tests run with -Pgpu");
		assumeTrue(GpuAvailability.cudaLoads(), () -> "CUDA cannot be loaded here: " + GpuAvailability.failure());
	}

	@Test
	void tuningAConvNetOnCudaMeasuresBothSearchesAndServesTheChosenOne() {
		String location = ModelFiles.write(this.models, "detector.onnx", TestModels.detector());
		tuned(location, "image=1x3x256x256").run((context) -> {
			ManagedModel model = warmedUp(context.getSourceApplicationContext());
			assertTunedOverDefaults(model,
					List.of(Map.of(SEARCH, "HEURISTIC", PAD, "false"), Map.of(SEARCH, "EXHAUSTIVE", PAD, "false")));
		});
	}

	@Test
	void tuningAOneDimensionalConvNetOnCudaAlsoMeasuresThePadding() {
		String location = ModelFiles.write(this.models, "sequence.onnx", TestModels.sequenceModel());
		tuned(location, "tokens=1x512").run((context) -> {
			ManagedModel model = warmedUp(context.getSourceApplicationContext());
			assertTunedOverDefaults(model,
					List.of(Map.of(SEARCH, "HEURISTIC", PAD, "false"), Map.of(SEARCH, "HEURISTIC", PAD, "true"),
							Map.of(SEARCH, "EXHAUSTIVE", PAD, "false"), Map.of(SEARCH, "EXHAUSTIVE", PAD, "true")));
		});
	}

	private ApplicationContextRunner tuned(String location, String shape) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withPropertyValues("onnx.cuda.gpu-mem-limit=1GB", "onnx.models.m.location=" + location,
					"onnx.models.m.warmup.shapes[0]." + shape, "onnx.models.m.tuning.enabled=true",
					"onnx.models.m.tuning.runs=5", "onnx.models.m.tuning.cache.directory=" + this.cache);
	}

	private static ManagedModel warmedUp(ConfigurableApplicationContext context) {
		ModelFiles.publishReady(context);
		return context.getBean(ManagedModelRegistry.class).get("m");
	}

	private static void assertTunedOverDefaults(ManagedModel model, List<Map<String, String>> defaults) {
		assertThat(model.provider().active()).isEqualTo(OrtProvider.CUDA);
		assertThat(model.status()).isEqualTo(ModelStatus.READY);
		TuningReport report = model.tuningReport();
		assertThat(report.status()).as(report.message()).isEqualTo(TuningStatus.TUNED);
		assertThat(report.tuningMillis()).isPositive();
		assertThat(report.candidates()).extracting(CandidateMeasurement::settings).containsExactlyElementsOf(defaults);
		assertThat(report.candidates()).allSatisfy((candidate) -> {
			assertThat(candidate.error()).isNull();
			assertThat(candidate.warmupMillis()).isPositive();
			assertThat(candidate.samples()).singleElement().satisfies((sample) -> {
				assertThat(sample.firstMillis()).isPositive();
				assertThat(sample.p50Millis()).isPositive().isLessThanOrEqualTo(sample.p90Millis());
			});
			assertThat(candidate.sumP50Millis()).isEqualTo(candidate.samples().get(0).p50Millis());
		});
		// the GPU's timings decide the winner: the rule, written out here, not asked of
		// TuningChoice (whose hard-coded cases are in TuningChoiceTests)
		double best = report.candidates().stream().mapToDouble(CandidateMeasurement::sumP50Millis).min().orElseThrow();
		assertThat(report.chosen()).isNotNull();
		assertThat(report.candidates().get(report.chosen()).sumP50Millis()).isLessThanOrEqualTo(best * 1.03);
		assertThat(report.candidates().subList(0, report.chosen()))
			.allSatisfy((earlier) -> assertThat(earlier.sumP50Millis()).isGreaterThan(best * 1.03));
		Map<String, String> chosen = report.candidates().get(report.chosen()).settings();
		assertThat(model.definition().cuda().options()).containsEntry("cudnn_conv_algo_search", chosen.get(SEARCH))
			.containsEntry("cudnn_conv1d_pad_to_nc1d", Boolean.parseBoolean(chosen.get(PAD)) ? "1" : "0");
	}

}
