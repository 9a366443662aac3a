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
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.Attribute;
import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the kinds of warmup input ({@link WarmupSource}), each under its own
 * property: what each one configures reaches the model, and a file location under
 * {@code warmup.shapes} (or dimensions under {@code warmup.samples}) stops start-up
 * instead of being guessed at. The model runs only when its input holds what the test
 * gives, so a warmup that is READY proves the input reached it.
 */
class WarmupSourcesTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withPropertyValues("onnx.cuda.enabled=false");

	@Test
	void shapeDimensionsReachTheModel() throws IOException {
		// x FLOAT [a, b] reshaped to [3, 3]: only nine elements fit
		String model = write("reshape-x.onnx",
				OnnxModelBuilder.graph("reshape_x")
					.input("x", TensorType.FLOAT, "a", "b")
					.output("y", TensorType.FLOAT, 3, 3)
					.initializer("to", new long[] { 3, 3 }, 2)
					.node("Reshape", List.of("x", "to"), List.of("y"))
					.toByteArray());
		assertThat(warmedUp(model, "onnx.models.m.warmup.shapes[0].x=1x9").status()).isEqualTo(ModelStatus.READY);
		assertThat(warmedUp(model, "onnx.models.m.warmup.shapes[0].x=2x4").status()).isEqualTo(ModelStatus.FAILED);
	}

	@Test
	void valueReachesTheModel() throws IOException {
		String model = write("reshape-by.onnx", reshapeBy());
		assertThat(warmedUp(model, "onnx.models.m.warmup.values.shape=3").status()).isEqualTo(ModelStatus.READY);
		// zeros, without the value, do not fit
		assertThat(warmedUp(model, "onnx.models.m.warmup.enabled=true").status()).isEqualTo(ModelStatus.FAILED);
	}

	@Test
	void npyFileDataReachesTheModel() throws IOException {
		// reshaped to [1, 9] by the file's data, which no single value fills
		String model = write("reshape-by.onnx", reshapeBy());
		String fits = write("fits.npy", NpyFiles.float32("(2,)", 1f, 9f));
		String wrong = write("wrong.npy", NpyFiles.float32("(2,)", 9f, 9f));
		assertThat(warmedUp(model, "onnx.models.m.warmup.samples[0].shape=" + fits).status())
			.isEqualTo(ModelStatus.READY);
		ManagedModel failed = warmedUp(model, "onnx.models.m.warmup.samples[0].shape=" + wrong);
		assertThat(failed.status()).isEqualTo(ModelStatus.FAILED);
		assertThat(failed.warmupResult().error()).contains("Reshape").contains("{9,9}");
	}

	@Test
	void fileLocationUnderShapesStopsStartupNamingSamples() throws IOException {
		// a readable file that fits the model: under shapes it is refused all the same
		String model = write("reshape-by.onnx", reshapeBy());
		String file = write("fits.npy", NpyFiles.float32("(2,)", 1f, 9f));
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + model, "onnx.models.m.warmup.shapes[0].shape=" + file)
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getModelName()).isEqualTo("m");
				assertThat(ex.getProperty()).isEqualTo("onnx.models.m.warmup.shapes[0].shape");
				assertThat(ex.getMessage()).contains("warmup shapes hold dimensions")
					.contains("the file location '" + file + "'")
					.contains("move the file to onnx.models.m.warmup.samples, such as "
							+ "onnx.models.m.warmup.samples[0].shape=" + file);
			});
	}

	@Test
	void dimensionsUnderSamplesStopStartupNamingShapes() throws IOException {
		String model = write("reshape-by.onnx", reshapeBy());
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + model, "onnx.models.m.warmup.samples[0].shape=2")
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getProperty()).isEqualTo("onnx.models.m.warmup.samples[0].shape");
				assertThat(ex.getMessage()).contains("warmup file 2 does not exist")
					.contains("go under onnx.models.m.warmup.shapes");
			});
	}

	private ManagedModel warmedUp(String model, String property) {
		ManagedModel[] warmed = new ManagedModel[1];
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + model, "onnx.models.m.warmup.iterations=1",
					"onnx.models.m.warmup.max-iterations=1", "onnx.models.m.warmup.on-failure=mark-down", property)
			.run((context) -> warmed[0] = warmUp(context));
		return warmed[0];
	}

	private static ManagedModel warmUp(ApplicationContext context) {
		context.getBean(OnnxWarmupRunner.class).warmUpAll();
		return context.getBean(ManagedModelRegistry.class).get("m");
	}

	/**
	 * {@code shape} FLOAT [2], cast to INT64, reshapes nine constant values into
	 * {@code y}.
	 */
	private static byte[] reshapeBy() {
		return OnnxModelBuilder.graph("reshape_by")
			.input("shape", TensorType.FLOAT, 2)
			.output("y", TensorType.FLOAT, "a", "b")
			.initializer("data", new float[9], 9)
			.node("Cast", List.of("shape"), List.of("dims"), Attribute.intValue("to", TensorType.INT64.code()))
			.node("Reshape", List.of("data", "dims"), List.of("y"))
			.toByteArray();
	}

	private String write(String name, byte[] bytes) throws IOException {
		Path file = this.directory.resolve(name);
		Files.write(file, bytes);
		return "file:" + file;
	}

}
