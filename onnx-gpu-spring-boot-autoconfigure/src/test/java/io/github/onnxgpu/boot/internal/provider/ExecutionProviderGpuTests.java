package io.github.onnxgpu.boot.internal.provider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.ModelFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs a plugin CUDA execution provider on a real GPU of a CUDA 13 host. Only with
 * {@code -Pgpu} and {@code -Donnxgpu.test.cuda-plugin-library=<path of the plugin
 * provider library>} (and {@code -Donnxgpu.test.cuda-plugin-provider=<its provider
 * name>} when it is not {@code CudaPluginExecutionProvider}); reported as skipped, with
 * the reason, everywhere else.
 */
class ExecutionProviderGpuTests {

	private static final String LIBRARY = System.getProperty("onnxgpu.test.cuda-plugin-library");

	private static final String PROVIDER = System.getProperty("onnxgpu.test.cuda-plugin-provider",
			"CudaPluginExecutionProvider");

	@TempDir
	Path directory;

	private ApplicationContextRunner runner;

	@BeforeEach
	void requireCudaPluginProvider() {
		assumeTrue(Boolean.getBoolean("onnxgpu.test.gpu"), "GPU tests run with -Pgpu");
		assumeTrue(LIBRARY != null && Files.isRegularFile(Path.of(LIBRARY)),
				() -> "no CUDA plugin provider library: set -Donnxgpu.test.cuda-plugin-library to its path (found: "
						+ LIBRARY + ")");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withPropertyValues("onnx.execution-provider-libraries.cuda-plugin=" + LIBRARY,
					"onnx.models.m.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.m.execution-provider.name=" + PROVIDER,
					"onnx.models.m.execution-provider.device-type=gpu", "onnx.models.m.warmup.shapes[0].x=1x3x16x16");
	}

	@Test
	void theRegisteredLibraryListsAGpuDeviceAndTheModelRunsOnIt() {
		this.runner.run((context) -> {
			ExecutionProviderLibraries libraries = context.getBean(ExecutionProviderLibraries.class);
			assertThat(libraries.devices().get("cuda-plugin")).isNotEmpty()
				.allSatisfy((device) -> assertThat(device.type()).isEqualTo("GPU"));
			ModelFiles.publishReady(context.getSourceApplicationContext());
			ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
			assertThat(model.status()).isEqualTo(ModelStatus.READY);
			assertThat(model.provider().fellBack()).isFalse();
			assertThat(model.provider().executionProvider().devices())
				.allSatisfy((device) -> assertThat(device.type()).isEqualTo("GPU"));
		});
	}

	@Test
	void aCompiledModelIsReusedOnTheSecondStart() {
		List<CompiledModelState> states = new ArrayList<>();
		for (int start = 0; start < 2; start++) {
			this.runner
				.withPropertyValues("onnx.models.m.execution-provider.compile=true",
						"onnx.models.m.execution-provider.compiled-model-directory=" + this.directory.resolve("cache"))
				.run((context) -> {
					ModelFiles.publishReady(context.getSourceApplicationContext());
					ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
					assertThat(model.status()).isEqualTo(ModelStatus.READY);
					states.add(model.provider().executionProvider().compiled().state());
				});
		}
		assertThat(states).containsExactly(CompiledModelState.BUILT, CompiledModelState.HIT);
	}

}
