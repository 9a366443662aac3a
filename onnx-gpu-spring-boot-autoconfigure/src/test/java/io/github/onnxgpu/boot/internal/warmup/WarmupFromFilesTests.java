package io.github.onnxgpu.boot.internal.warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.OnnxWarmupRunner;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyFiles;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.StartupFailures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for warmup samples given as {@code .npy} files under {@code warmup.samples}: real
 * warmups of a generated model on the CPU.
 */
class WarmupFromFilesTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withPropertyValues("onnx.cuda.enabled=false");

	@Test
	void fileSampleWarmsWithTheFilesShapeAfterAWrittenShape() throws IOException {
		String file = write("page.npy", NpyFiles.float32Filled(0.5f, 1, 3, 16, 24));
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.directory),
				"onnx.models.detector.warmup.iterations=2", "onnx.models.detector.warmup.max-iterations=2",
				"onnx.models.detector.warmup.samples[0].x=" + file, "onnx.models.detector.warmup.shapes[0].x=1x3x8x8")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				context.getBean(OnnxWarmupRunner.class).warmUpAll();
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
				assertThat(model.warmupResult().samples()).extracting((timings) -> timings.shape().toString())
					.containsExactly("{x=1x3x8x8}", "{x=1x3x16x24}");
				assertThat(model.warmupResult().samples().get(1).iterations()).hasSize(2);
			});
	}

	@Test
	void fileOfAnotherElementTypeFailsStartupNamingTheEntry() throws IOException {
		String file = write("ids.npy", NpyFiles.npy(1,
				"{'descr': '<i8', 'fortran_order': False, 'shape': (1, 3, 8, 8), }", new byte[8 * 3 * 64]));
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.detector.warmup.samples[0].x=" + file)
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.warmup.samples[0].x");
				assertThat(ex.getMessage()).contains("INT64 elements but input 'x' takes FLOAT");
			});
	}

	@Test
	void fileWhoseShapeDoesNotFitFailsStartupLikeAWrittenShape() throws IOException {
		String file = write("flat.npy", NpyFiles.float32Filled(1f, 3, 8, 8));
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.detector.warmup.samples[0].x=" + file)
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.warmup.samples[0].x");
				assertThat(ex.getMessage()).contains("has rank 3 but input 'x' has rank 4");
			});
	}

	@Test
	void missingFileFailsStartupNamingTheEntry() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.detector.warmup.samples[0].x=classpath:/warmup/absent.npy")
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.warmup.samples[0].x");
				assertThat(ex.getMessage()).contains("classpath:/warmup/absent.npy does not exist");
			});
	}

	private String write(String name, byte[] bytes) throws IOException {
		Path file = this.directory.resolve(name);
		Files.write(file, bytes);
		return "file:" + file;
	}

}
