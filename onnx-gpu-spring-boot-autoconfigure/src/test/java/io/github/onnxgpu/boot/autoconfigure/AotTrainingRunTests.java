package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import ai.onnxruntime.OrtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.SpringProperties;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller;
import io.github.onnxgpu.boot.internal.provider.TensorrtProviderInstaller;
import io.github.onnxgpu.boot.test.JavaProcess;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.ProviderSeams;
import io.github.onnxgpu.boot.test.StartupFailures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AotTrainingRun}: an application configured for a GPU (fallback
 * {@code fail}, TensorRT and tuning on) gets through the AOT cache training run on a
 * machine without one, writes no TensorRT or tuning cache and says so in one line; the
 * same configuration outside a training run still fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class AotTrainingRunTests {

	private static final String TRAINING_LINE = "AOT cache training run (spring.context.exit=onRefresh)";

	@TempDir
	Path work;

	private final List<Map<String, String>> tensorrtAdded = new ArrayList<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withUserConfiguration(ProviderSeams.class)
		// CUDA absent, as on a build machine; TensorRT recorded, to see it is not tried
		.withBean(CudaProviderInstaller.class, () -> (options, settings) -> {
			throw new OrtException("Failed to load library libonnxruntime_providers_cuda.so");
		})
		.withBean(TensorrtProviderInstaller.class, () -> (options, tensorrt) -> {
			this.tensorrtAdded.add(tensorrt);
			throw new OrtException("libnvinfer.so.10: cannot open shared object file");
		});

	@Test
	void trainingRunLoadsTheGpuConfiguredModelOnTheCpuWithoutTensorrtOrTuningCaches(CapturedOutput output) {
		List<String> before = snapshot(this.work.resolve("caches"));
		this.contextRunner.withBean(AotTrainingRun.class, () -> new AotTrainingRun(true))
			.withPropertyValues(gpuConfiguration())
			.run((context) -> {
				// the runner refreshes to the end, which a training run never reaches
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasMessageContaining("did not exit when refreshed")
					.hasMessageContaining("remove -Dspring.context.exit=onRefresh");
			});
		assertThat(this.tensorrtAdded).as("TensorRT options sent").isEmpty();
		assertThat(snapshot(this.work.resolve("caches"))).isEqualTo(before);
		assertThat(output.getAll().lines().filter((line) -> line.contains(TRAINING_LINE))).singleElement()
			.satisfies((line) -> assertThat(line).contains(" INFO ")
				.contains("detector on CPU")
				.contains("TensorRT (no engine built, no engine or timing cache written) for detector")
				.contains("onnx.cuda.fallback=fail (the CPU where CUDA cannot be added) for detector")
				.contains("start-up tuning (its cache neither read nor written) for detector")
				.contains("warmup (the context exits before it) for detector"));
	}

	@Test
	void sameConfigurationOutsideATrainingRunStillFails(CapturedOutput output) {
		this.contextRunner.withBean(AotTrainingRun.class, () -> new AotTrainingRun(false))
			.withPropertyValues(gpuConfiguration())
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getModelName()).isEqualTo("detector");
				assertThat(failure.getProperty()).isEqualTo("onnx.cuda.fallback");
				assertThat(failure).hasMessageContaining("cannot be added");
			});
		assertThat(this.tensorrtAdded).as("TensorRT options sent").hasSize(1);
		assertThat(output).doesNotContain(TRAINING_LINE);
	}

	@Test
	void outsideATrainingRunNothingChangesAndNothingIsLogged(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("onnx.cuda.enabled=false",
					"onnx.models.detector.location=" + ModelFiles.convNet(this.work),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(AotTrainingRun.class).isActive()).isFalse();
			});
		assertThat(output).doesNotContain(TRAINING_LINE);
	}

	@Test
	void detectedAsSpringFrameworkDecidesToExitOnRefresh() {
		// initialised first: its exit flag is read once, so this JVM never exits on a
		// refresh
		new DefaultLifecycleProcessor();
		assertThat(AotTrainingRun.detect().isActive()).isFalse();
		try {
			SpringProperties.setProperty(DefaultLifecycleProcessor.EXIT_PROPERTY_NAME, "onrefresh");
			assertThat(AotTrainingRun.detect().isActive()).isTrue();
			SpringProperties.setProperty(DefaultLifecycleProcessor.EXIT_PROPERTY_NAME, "never");
			assertThat(AotTrainingRun.detect().isActive()).isFalse();
		}
		finally {
			SpringProperties.setProperty(DefaultLifecycleProcessor.EXIT_PROPERTY_NAME, null);
		}
	}

	@Test
	void documentedTrainingCommandExitsCleanlyWithoutGpuAndWritesNoGpuOrTuningCache() throws Exception {
		Path home = Files.createDirectories(this.work.resolve("home"));
		List<String> before = snapshot(home);
		JavaProcess training = JavaProcess.run(System.getProperty("java.class.path"),
				List.of("-Dspring.context.exit=onRefresh", "-Duser.home=" + home), TrainingApplication.class,
				arguments());
		String output = training.output();
		assertThat(training.exitValue()).as(output).isZero();
		assertThat(output.lines().filter((line) -> line.contains(TRAINING_LINE))).as(output)
			.singleElement()
			// CUDA where this machine has it
			.satisfies((line) -> assertThat(line).contains(" INFO ").containsPattern("detector on (CPU|CUDA);"));
		assertThat(output).doesNotContain("APPLICATION FAILED TO START");
		List<String> written = new ArrayList<>(snapshot(home));
		written.removeAll(before);
		// nothing but the native-library cache: the ONNX Runtime jar's own libraries
		assertThat(written).as(output)
			.isNotEmpty()
			.allSatisfy(
					(path) -> assertThat(path).startsWith(".cache").doesNotContain("tensorrt").doesNotContain("tuning"))
			.anySatisfy((path) -> assertThat(path).endsWith("/onnx-native-cache.manifest"));
	}

	@Test
	void sameCommandWithoutTheTrainingPropertyFailsAsBefore() throws Exception {
		Path home = Files.createDirectories(this.work.resolve("home"));
		// the GPU providers skipped: as absent as here, on any machine, without unpacking
		// 580 MB to find out
		JavaProcess start = JavaProcess.run(System.getProperty("java.class.path"),
				List.of("-Duser.home=" + home, "-Donnxruntime.native.onnxruntime_providers_cuda.skip=true",
						"-Donnxruntime.native.onnxruntime_providers_tensorrt.skip=true"),
				TrainingApplication.class, arguments());
		String output = start.output();
		assertThat(start.exitValue()).as(output).isOne();
		assertThat(output).contains("ONNX model 'detector'").contains("execution provider cannot be added");
		assertThat(output).doesNotContain(TRAINING_LINE);
	}

	private String[] gpuConfiguration() {
		Path caches = this.work.resolve("caches");
		return new String[] { "onnx.cuda.enabled=true", "onnx.cuda.fallback=fail", "onnx.cuda.probe=false",
				"onnx.tensorrt.enabled=true", "onnx.tensorrt.engine-cache.directory=" + caches.resolve("engines"),
				"onnx.tensorrt.timing-cache.directory=" + caches.resolve("timings"),
				"onnx.models.detector.location=" + ModelFiles.convNet(this.work),
				"onnx.models.detector.warmup.shapes[0].x=1x3x16x16", "onnx.models.detector.tuning.enabled=true",
				"onnx.models.detector.tuning.cache.directory=" + caches.resolve("tuning") };
	}

	private String[] arguments() {
		// the defaults of every cache: under the forked JVM's user.home
		return new String[] { "--onnx.cuda.fallback=fail", "--onnx.tensorrt.enabled=true",
				"--onnx.models.detector.location=" + ModelFiles.convNet(this.work),
				"--onnx.models.detector.warmup.shapes[0].x=1x3x16x16", "--onnx.models.detector.tuning.enabled=true" };
	}

	private static List<String> snapshot(Path root) {
		if (!Files.exists(root)) {
			return List.of();
		}
		try (Stream<Path> files = Files.walk(root)) {
			return new ArrayList<>(files.filter((file) -> !file.equals(root))
				.map((file) -> root.relativize(file).toString().replace('\\', '/'))
				.collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An application with the starter, started as Spring Boot's documented training run
	 * starts one.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(OnnxAutoConfiguration.class)
	public static class TrainingApplication {

		public static void main(String[] args) {
			SpringApplication application = new SpringApplication(TrainingApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			application.run(args);
		}

	}

}
