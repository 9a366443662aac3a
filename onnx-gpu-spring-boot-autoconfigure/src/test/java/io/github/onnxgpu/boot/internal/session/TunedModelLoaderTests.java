package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.provider.CudaProviderDefaults;
import io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller;
import io.github.onnxgpu.boot.internal.provider.CudaSettings;
import io.github.onnxgpu.boot.internal.tuning.CandidateMeasurement;
import io.github.onnxgpu.boot.internal.tuning.TuningReport;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.ProviderSeams;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TunedModelLoader}'s default CUDA candidates, chosen from the model's
 * convolutions, on the CPU: CUDA is "added" by an installer that records each session's
 * options and adds nothing, and a fake clock decides the winner.
 */
class TunedModelLoaderTests {

	private static final String SEARCH = "cuda.cudnn-conv-algo-search";

	private static final String PAD = "cuda.cudnn-conv1d-pad-to-nc1d";

	@TempDir
	Path models;

	@TempDir
	Path cache;

	@Test
	void tuningAConvNetOnCudaWithoutCandidatesTriesBothConvolutionSearches() {
		String location = ModelFiles.convNet(this.models);
		// HEURISTIC wins by the clock, against the EXHAUSTIVE the model loads with
		cudaTuned(new ModelTunerTests.FakeClock(5, 1, 1_000_000, 3_000_000), location, "x=1x3x16x16").run((context) -> {
			ManagedModel model = warmedUp(context);
			assertThat(model.provider().active()).isEqualTo(OrtProvider.CUDA);
			TuningReport report = model.tuningReport();
			assertThat(report.status()).as(report.message()).isEqualTo(TuningStatus.TUNED);
			assertThat(report.candidates()).extracting(CandidateMeasurement::settings)
				.containsExactly(Map.of(SEARCH, "HEURISTIC", PAD, "false"), Map.of(SEARCH, "EXHAUSTIVE", PAD, "false"));
			// the model's own session, then one per candidate, each with its options
			assertThat(context.getBean(RecordingCudaInstaller.class).installed)
				.containsExactly(cudnn("EXHAUSTIVE", "0"), cudnn("HEURISTIC", "0"), cudnn("EXHAUSTIVE", "0"));
			assertThat(report.chosen()).isEqualTo(0);
			assertThat(model.definition().cuda().options()).containsEntry("cudnn_conv_algo_search", "HEURISTIC")
				.containsEntry("cudnn_conv1d_pad_to_nc1d", "0");
		});
	}

	@Test
	void tuningAOneDimensionalConvNetOnCudaWithoutCandidatesAlsoTriesThePadding() {
		String location = ModelFiles.write(this.models, "conv1d.onnx", TestModels.conv1dNet());
		// the last candidate wins by the clock
		cudaTuned(new ModelTunerTests.FakeClock(5, 1, 3_000_000, 3_000_000, 3_000_000, 1_000_000), location,
				"input=1x4x64")
			.run((context) -> {
				ManagedModel model = warmedUp(context);
				TuningReport report = model.tuningReport();
				assertThat(report.status()).as(report.message()).isEqualTo(TuningStatus.TUNED);
				assertThat(report.candidates()).extracting(CandidateMeasurement::settings)
					.containsExactly(Map.of(SEARCH, "HEURISTIC", PAD, "false"),
							Map.of(SEARCH, "HEURISTIC", PAD, "true"), Map.of(SEARCH, "EXHAUSTIVE", PAD, "false"),
							Map.of(SEARCH, "EXHAUSTIVE", PAD, "true"));
				assertThat(context.getBean(RecordingCudaInstaller.class).installed).containsExactly(
						cudnn("EXHAUSTIVE", "0"), cudnn("HEURISTIC", "0"), cudnn("HEURISTIC", "1"),
						cudnn("EXHAUSTIVE", "0"), cudnn("EXHAUSTIVE", "1"));
				assertThat(report.chosen()).isEqualTo(3);
				assertThat(model.definition().cuda().options()).containsEntry("cudnn_conv_algo_search", "EXHAUSTIVE")
					.containsEntry("cudnn_conv1d_pad_to_nc1d", "1");
			});
	}

	// CUDA "added" by an installer that adds nothing, so the sessions run on the CPU
	private ApplicationContextRunner cudaTuned(LongSupplier clock, String location, String shape) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withUserConfiguration(ProviderSeams.class)
			.withBean(RecordingCudaInstaller.class, RecordingCudaInstaller::new)
			.withPropertyValues("onnx.cuda.probe=false", "onnx.models.m.location=" + location,
					"onnx.models.m.warmup.shapes[0]." + shape, "onnx.models.m.warmup.iterations=2",
					"onnx.models.m.warmup.max-iterations=3", "onnx.models.m.tuning.enabled=true",
					"onnx.models.m.tuning.runs=5", "onnx.models.m.tuning.cache.directory=" + this.cache)
			.withUserConfiguration(ModelTunerTests.ClockedRunner.class)
			.withBean(LongSupplier.class, () -> clock);
	}

	private static Map<String, String> cudnn(String search, String pad) {
		return Map.of("cudnn_conv_algo_search", search, "cudnn_conv1d_pad_to_nc1d", pad);
	}

	private static ManagedModel warmedUp(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		ModelFiles.publishReady(context);
		return context.getBean(ManagedModelRegistry.class).get("m");
	}

	/**
	 * Stands in for ONNX Runtime's CUDA provider: records the convolution options of each
	 * session it is asked to add CUDA to.
	 */
	static final class RecordingCudaInstaller implements CudaProviderInstaller {

		final List<Map<String, String>> installed = new CopyOnWriteArrayList<>();

		@Override
		public void install(OrtSession.SessionOptions options, CudaSettings settings) {
			Map<String, String> inForce = CudaProviderDefaults.effective(settings.options());
			this.installed.add(cudnn(inForce.get("cudnn_conv_algo_search"), inForce.get("cudnn_conv1d_pad_to_nc1d")));
		}

	}

}
