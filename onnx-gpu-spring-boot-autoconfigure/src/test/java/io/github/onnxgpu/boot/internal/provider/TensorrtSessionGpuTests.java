package io.github.onnxgpu.boot.internal.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import ai.onnxruntime.OrtProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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
 * Runs models on TensorRT: the only test that has TensorRT build a real engine and load
 * it again. Only with {@code -Pgpu} on a machine where ONNX Runtime's TensorRT provider
 * loads; reported as skipped, with the reason, everywhere else. How much faster the
 * second start is belongs to the benchmarks, not here.
 */
class TensorrtSessionGpuTests {

	@TempDir
	Path models;

	@TempDir
	Path cache;

	@BeforeEach
	void requireTensorrt() {
		assumeTrue(Boolean.getBoolean("onnxgpu.test.gpu"), "GPU tests run with -Pgpu");
		assumeTrue(GpuAvailability.tensorrtLoads(),
				() -> "TensorRT cannot be loaded here: " + GpuAvailability.tensorrtFailure());
	}

	@Test
	void detectorWarmsOnTensorrtAndASecondStartLoadsTheEngineTheFirstBuilt() {
		String location = ModelFiles.write(this.models, "detector.onnx", TestModels.detector());
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withPropertyValues("onnx.tensorrt.enabled=true", "onnx.tensorrt.engine-cache.directory=" + this.cache,
					"onnx.tensorrt.timing-cache.directory=" + this.cache, "onnx.models.detector.location=" + location,
					"onnx.models.detector.warmup.iterations=3",
					"onnx.models.detector.warmup.shapes[0].image=1x3x256x256",
					"onnx.models.detector.warmup.shapes[1].image=1x3x512x512");
		Path[] folder = new Path[1];
		List<Path> built = new ArrayList<>();
		runner.run((context) -> {
			ModelFiles.publishReady(context.getSourceApplicationContext());
			ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
			assertThat(model.provider().active()).isEqualTo(OrtProvider.TENSOR_RT);
			assertThat(model.status()).isEqualTo(ModelStatus.READY);
			assertThat(model.tensorrt().cacheState()).isEqualTo(TensorrtCacheState.BUILT);
			folder[0] = model.tensorrt().engineCacheDirectory();
			// written by TensorRT itself, not by the test
			built.addAll(engines(folder[0]));
			assertThat(built).isNotEmpty();
		});
		runner.run((context) -> {
			ModelFiles.publishReady(context.getSourceApplicationContext());
			ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
			assertThat(model.provider().active()).isEqualTo(OrtProvider.TENSOR_RT);
			assertThat(model.status()).isEqualTo(ModelStatus.READY);
			assertThat(model.tensorrt().engineCacheDirectory()).isEqualTo(folder[0]);
			assertThat(model.tensorrt().cacheState()).isEqualTo(TensorrtCacheState.HIT);
			// loaded, not built again beside the first
			assertThat(engines(folder[0])).containsExactlyInAnyOrderElementsOf(built);
		});
	}

	private static List<Path> engines(Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".engine")).toList();
		}
	}

}
