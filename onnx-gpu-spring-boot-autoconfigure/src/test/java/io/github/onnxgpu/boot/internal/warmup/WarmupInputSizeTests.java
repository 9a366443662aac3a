package io.github.onnxgpu.boot.internal.warmup;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.test.JavaProcess;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.RecordingFailureAnalysisReporter;
import io.github.onnxgpu.boot.test.StartupFailures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code warmup.max-input-size}: a warmup sample with more input than allowed
 * is refused at start-up, before anything of it is allocated.
 */
class WarmupInputSizeTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void mistypedShapeIsRefusedAtStartupNamingModelSampleAndProperty() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.shapes[0].x=1x3x64x64",
					"onnx.models.detector.warmup.shapes[1].x=1x3x6400x6400")
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getModelName()).isEqualTo("detector");
				assertThat(failure.getProperty()).isEqualTo("onnx.models.detector.warmup.shapes[1]");
				assertThat(failure).hasMessageContaining(
						"warmup sample 1 {x=1x3x6400x6400} has 468.8 MB (491520000 bytes) of input, more than the "
								+ "256.0 MB onnx.models.detector.warmup.max-input-size allows");
				assertThat(failure.getAction()).contains("a mistyped one, such as 6400 for 640?")
					.contains("raise onnx.models.detector.warmup.max-input-size")
					.contains("onnx.warmup.max-input-size for all models");
			});
	}

	@Test
	void modelLimitWinsOverTheSharedOne() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.warmup.max-input-size=1GB", "onnx.models.detector.warmup.max-input-size=40KB",
					"onnx.models.detector.warmup.shapes[0].x=1x3x64x64")
			.run((context) -> assertThat(StartupFailures.modelException(context))
				.hasMessageContaining("has 48.0 KB (49152 bytes) of input, more than the 40.0 KB"));
	}

	@Test
	void sharedLimitAppliesToEveryModel() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.warmup.max-input-size=40KB", "onnx.models.detector.warmup.shapes[0].x=1x3x64x64")
			.run((context) -> assertThat(StartupFailures.modelException(context))
				.hasMessageContaining("more than the 40.0 KB onnx.models.detector.warmup.max-input-size allows"));
	}

	@Test
	void sampleAtTheLimitStarts() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.warmup.max-input-size=48KB", "onnx.models.detector.warmup.shapes[0].x=1x3x64x64")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void limitBelowOneByteIsRefused() {
		this.contextRunner.withPropertyValues("onnx.warmup.max-input-size=0B")
			.run((context) -> assertThat(StartupFailures.modelException(context))
				.hasMessageContaining("[property onnx.warmup.max-input-size]"));
	}

	/**
	 * The probe's mistyped shape in a JVM of its own with little direct memory: refused
	 * with the message before anything is allocated, where without the check the sample
	 * would run and fail with a bare {@link OutOfMemoryError} naming no model (or, with
	 * memory to spare, grow native memory by gigabytes).
	 */
	@Test
	@EnabledOnOs(OS.LINUX)
	void mistypedShapeInAJvmWithLittleMemoryIsRefusedWithTheMessage() throws Exception {
		String location = ModelFiles.convNet(this.models);
		JavaProcess process = JavaProcess.run(System.getProperty("java.class.path"),
				List.of("-Xmx256m", "-XX:MaxDirectMemorySize=64m", "-XX:TieredStopAtLevel=1"), HugeSampleProcess.class,
				"--spring.main.banner-mode=off", "--onnx.cuda.enabled=false", "--onnx.native.cache.enabled=false",
				"--onnx.models.detector.location=" + location,
				"--onnx.models.detector.warmup.shapes[0].x=1x3x6400x6400");
		assertThat(process.exitValue()).as(process.output()).isNotZero();
		assertThat(process.output())
			.contains("REPORTED: ONNX model 'detector': warmup sample 0 {x=1x3x6400x6400} has 468.8 MB")
			.contains("onnx.models.detector.warmup.max-input-size")
			.doesNotContain("warming sample")
			.doesNotContain("OutOfMemoryError");
	}

	/**
	 * Starts an application with the configuration given on the command line.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class HugeSampleProcess {

		public static void main(String[] args) {
			SpringApplication application = new SpringApplication(HugeSampleProcess.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			try {
				application.run(args);
			}
			catch (RuntimeException ex) {
				// the failure report users see, which the tests' reporter keeps
				FailureAnalysis report = RecordingFailureAnalysisReporter.last();
				System.out.println("REPORTED: " + ((report != null) ? report.getDescription() : ex));
				System.exit(1);
			}
		}

	}

}
