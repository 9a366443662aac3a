package io.github.onnxgpu.boot.internal.warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.OnnxWarmupRunner;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyFiles;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.Attribute;
import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for warmup samples given as {@code .npy} files: real warmups of a generated model
 * on the CPU.
 */
class WarmupFromFilesTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withPropertyValues("onnx.cuda.enabled=false");

	@Test
	void fileSampleWarmsWithTheFilesShapeNextToAWrittenShape() throws IOException {
		String file = write("page.npy", NpyFiles.float32Filled(0.5f, 1, 3, 16, 24));
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.directory),
				"onnx.models.detector.warmup.iterations=2", "onnx.models.detector.warmup.max-iterations=2",
				"onnx.models.detector.warmup.shapes[0].x=" + file, "onnx.models.detector.warmup.shapes[1].x=1x3x8x8")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				context.getBean(OnnxWarmupRunner.class).warmUpAll();
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
				assertThat(model.warmupResult().samples()).extracting((timings) -> timings.shape().toString())
					.containsExactly("{x=1x3x16x24}", "{x=1x3x8x8}");
				assertThat(model.warmupResult().samples().get(0).iterations()).hasSize(2);
			});
	}

	@Test
	void fileValuesReachTheModel() throws IOException {
		// the model runs only when its input holds a valid shape for eight values: what
		// the warmup generates does not, the file does
		String model = write("reshape.onnx", reshapeBy());
		String fits = write("fits.npy", NpyFiles.float32("(2,)", 2f, 4f));
		String wrong = write("wrong.npy", NpyFiles.float32("(2,)", 4f, 4f));
		warmed(model, "onnx.models.m.warmup.shapes[0].shape=" + fits).run((context) -> {
			ManagedModel warmed = warmedUp(context);
			assertThat(warmed.warmupResult().error()).isNull();
			assertThat(warmed.status()).isEqualTo(ModelStatus.READY);
		});
		warmed(model, "onnx.models.m.warmup.shapes[0].shape=" + wrong).run((context) -> {
			ManagedModel failed = warmedUp(context);
			assertThat(failed.status()).isEqualTo(ModelStatus.FAILED);
			assertThat(failed.warmupResult().error()).contains("Reshape").contains("{4,4}");
		});
		// the same shape without the file fails too: the file, not the shape, makes it
		warmed(model, "onnx.models.m.warmup.shapes[0].shape=2")
			.run((context) -> assertThat(warmedUp(context).status()).isEqualTo(ModelStatus.FAILED));
	}

	private ApplicationContextRunner warmed(String model, String sample) {
		return this.contextRunner.withPropertyValues("onnx.models.m.location=" + model,
				"onnx.models.m.warmup.iterations=1", "onnx.models.m.warmup.max-iterations=1",
				"onnx.models.m.warmup.on-failure=mark-down", sample);
	}

	private static ManagedModel warmedUp(ApplicationContext context) {
		context.getBean(OnnxWarmupRunner.class).warmUpAll();
		return context.getBean(ManagedModelRegistry.class).get("m");
	}

	/**
	 * {@code shape} FLOAT [2], cast to INT64, reshapes eight constant values into
	 * {@code y}.
	 */
	private static byte[] reshapeBy() {
		return OnnxModelBuilder.graph("reshape_by")
			.input("shape", TensorType.FLOAT, 2)
			.output("y", TensorType.FLOAT, "a", "b")
			.initializer("data", new float[8], 8)
			.node("Cast", List.of("shape"), List.of("dims"), Attribute.intValue("to", TensorType.INT64.code()))
			.node("Reshape", List.of("data", "dims"), List.of("y"))
			.toByteArray();
	}

	@Test
	void fileOfAnotherElementTypeFailsStartupNamingTheEntry() throws IOException {
		String file = write("ids.npy", NpyFiles.npy(1,
				"{'descr': '<i8', 'fortran_order': False, 'shape': (1, 3, 8, 8), }", new byte[8 * 3 * 64]));
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.detector.warmup.shapes[0].x=" + file)
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.warmup.shapes[0].x");
				assertThat(ex.getMessage()).contains("INT64 elements but input 'x' takes FLOAT");
			});
	}

	@Test
	void fileWhoseShapeDoesNotFitFailsStartupLikeAWrittenShape() throws IOException {
		String file = write("flat.npy", NpyFiles.float32Filled(1f, 3, 8, 8));
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.detector.warmup.shapes[0].x=" + file)
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.warmup.shapes[0].x");
				assertThat(ex.getMessage()).contains("has rank 3 but input 'x' has rank 4");
			});
	}

	@Test
	void missingFileFailsStartupNamingTheEntry() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.detector.warmup.shapes[0].x=classpath:/warmup/absent.npy")
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.warmup.shapes[0].x");
				assertThat(ex.getMessage()).contains("classpath:/warmup/absent.npy does not exist");
			});
	}

	private String write(String name, byte[] bytes) throws IOException {
		Path file = this.directory.resolve(name);
		Files.write(file, bytes);
		return "file:" + file;
	}

}
