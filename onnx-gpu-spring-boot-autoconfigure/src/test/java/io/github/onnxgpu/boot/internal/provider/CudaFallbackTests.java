package io.github.onnxgpu.boot.internal.provider;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import ai.onnxruntime.OrtProvider;
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
import io.github.onnxgpu.boot.test.ProviderSeams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests the CUDA fallback through the auto-configuration with ONNX Runtime's real CUDA
 * provider, on a machine where it cannot load.
 */
class CudaFallbackTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withUserConfiguration(ProviderSeams.class);

	@Test
	void whenCudaCannotLoadFallbackCpuServesAndWarmsTheModelOnCpu() {
		assumeFalse(GpuAvailability.cudaLoads(), "CUDA loads here: the fallback cannot be observed");
		this.contextRunner
			.withPropertyValues("onnx.cuda.fallback=cpu", "onnx.cuda.probe=false",
					"onnx.cuda.cudnn-conv-algo-search=HEURISTIC",
					"onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.shapes[0].x=1x3x16x16")
			.run((context) -> {
				ModelFiles.publishReady(context.getSourceApplicationContext());
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				assertThat(model.provider().requested()).isEqualTo(OrtProvider.CUDA);
				assertThat(model.provider().active()).isEqualTo(OrtProvider.CPU);
				// ONNX Runtime's own reason, without its source location: with the GPU
				// artifact a CUDA
				// library the provider needs is missing, the CPU artifact has no CUDA
				// provider at all
				assertThat(model.provider().fallbackReason())
					.containsAnyOf("Failed to load library", "Failed to find CUDA shared provider")
					.doesNotContain("onnxruntime_src", "Error code");
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
				assertThat(model.definition().cuda().options()).containsEntry("cudnn_conv_algo_search", "HEURISTIC");
			});
	}

	@Test
	void whenHostHasNoDriverProbeSkipsTheCudaAttempt() {
		// the same probe the starter asks, so that a host with only libcuda.so.1 is
		// skipped too
		assumeTrue(new NvidiaDriverProbe().absenceReason() != null, "this host has an NVIDIA driver");
		AtomicInteger attempts = new AtomicInteger();
		this.contextRunner.withBean(CudaProviderInstaller.class, () -> (options, settings) -> {
			attempts.incrementAndGet();
			CudaProviderInstaller.ONNX_RUNTIME.install(options, settings);
		})
			.withPropertyValues("onnx.cuda.fallback=cpu",
					"onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				assertThat(model.provider().active()).isEqualTo(OrtProvider.CPU);
				assertThat(model.provider().fallbackReason()).startsWith("no NVIDIA driver on this host")
					.endsWith("CUDA was not tried");
				assertThat(attempts).hasValue(0);
			});
	}

	@Test
	void whenCudaCannotLoadDefaultFallbackFailsStartup() {
		assumeFalse(GpuAvailability.cudaLoads(), "CUDA loads here: the fallback cannot be observed");
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("onnx.cuda.fallback=cpu"));
	}

	@Test
	void whenCudaIsAddedByInstallerProviderIsCuda() {
		this.contextRunner.withBean(CudaProviderInstaller.class, () -> (options, settings) -> {
		})
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				assertThat(model.provider()).isEqualTo(ProviderChoice.as(OrtProvider.CUDA));
			});
	}

}
