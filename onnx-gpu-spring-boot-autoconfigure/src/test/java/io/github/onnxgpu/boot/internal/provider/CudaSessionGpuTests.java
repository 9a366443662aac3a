package io.github.onnxgpu.boot.internal.provider;

import java.nio.file.Path;

import ai.onnxruntime.OrtProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.CudnnConvAlgoSearch;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.GpuAvailability;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs models on a real GPU. Only with {@code -Pgpu} on a machine where ONNX Runtime's
 * CUDA provider loads; reported as skipped, with the reason, everywhere else.
 */
class CudaSessionGpuTests {

	@TempDir
	Path models;

	@BeforeEach
	void requireGpu() {
		assumeTrue(Boolean.getBoolean("onnxgpu.test.gpu"), "GPU tests run with -Pgpu");
		assumeTrue(GpuAvailability.cudaLoads(), () -> "CUDA cannot be loaded here: " + GpuAvailability.failure());
	}

	@Test
	void detectorRunsAndWarmsOnCudaWithEveryConvAlgoSearch() {
		String location = ModelFiles.write(this.models, "detector.onnx", TestModels.detector());
		for (CudnnConvAlgoSearch search : CudnnConvAlgoSearch.values()) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
				.withPropertyValues("onnx.cuda.cudnn-conv-algo-search=" + search, "onnx.cuda.gpu-mem-limit=1GB",
						"onnx.models.detector.location=" + location,
						"onnx.models.detector.warmup.shapes[0].image=1x3x256x256")
				.run((context) -> {
					ModelFiles.publishReady(context.getSourceApplicationContext());
					ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
					assertThat(model.provider().active()).isEqualTo(OrtProvider.CUDA);
					assertThat(model.status()).isEqualTo(ModelStatus.READY);
				});
		}
	}

}
