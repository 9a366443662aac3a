package io.github.onnxgpu.boot.internal.diagnostics;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.test.ModelServer;
import io.github.onnxgpu.boot.test.RecordingFailureAnalysisReporter;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link OnnxModelFailureAnalyzer} and for how bad configuration is reported
 * when a real application fails to start.
 */
@ExtendWith(OutputCaptureExtension.class)
class OnnxModelFailureAnalyzerTests {

	// everything the starter logs, as a user debugging start-up would see it
	private static final String DEBUG_STARTER_LOG = "--logging.level.io.github.onnxgpu=debug";

	@TempDir
	Path models;

	@BeforeEach
	void resetReport() {
		RecordingFailureAnalysisReporter.reset();
	}

	@Test
	void missingModelIsReportedWithDescriptionAndAction() {
		assertThatException().isThrownBy(() -> run("--onnx.cuda.enabled=false",
				"--onnx.models.detector.location=file:" + this.models.resolve("det.onnx")));
		FailureAnalysis report = RecordingFailureAnalysisReporter.last();
		assertThat(report).as("the failure analysis Spring Boot reports").isNotNull();
		assertThat(report.getDescription()).contains("ONNX model 'detector': the model file")
			.contains("does not exist [property onnx.models.detector.location]");
		assertThat(report.getAction()).contains(
				"Update onnx.models.detector.location: correct onnx.models.detector.location or put the model file there");
	}

	@Test
	void unknownEnumValueIsReportedWithValidValues() {
		assertThatException().isThrownBy(() -> run("--onnx.cuda.enabled=false",
				"--onnx.models.detector.location=file:" + this.models.resolve("det.onnx"),
				"--onnx.models.detector.cuda.cudnn-conv-algo-search=FASTEST"));
		FailureAnalysis report = RecordingFailureAnalysisReporter.last();
		assertThat(report).as("the failure analysis Spring Boot reports").isNotNull();
		assertThat(report.getDescription()).contains("onnx.models.detector.cuda.cudnn-conv-algo-search")
			.contains("FASTEST");
		assertThat(report.getAction()).contains("The following values are valid")
			.contains("EXHAUSTIVE", "HEURISTIC", "DEFAULT");
	}

	@Test
	void missingModelAtALocationWithCredentialsIsReportedWithThemMasked(CapturedOutput output) {
		try (ModelServer server = ModelServer.start()) {
			assertThatException()
				.isThrownBy(() -> run("--onnx.cuda.enabled=false", DEBUG_STARTER_LOG,
						"--onnx.models.detector.location="
								+ server.url("user:secret", "/models/det.onnx?token=s3cr3t")))
				.satisfies(OnnxModelFailureAnalyzerTests::hasNoSecret);
			FailureAnalysis report = RecordingFailureAnalysisReporter.last();
			assertThat(report).as("the failure analysis Spring Boot reports").isNotNull();
			assertThat(report.getDescription()).contains("ONNX model 'detector': the model file "
					+ server.url("user:******", "/models/det.onnx?token=******") + " does not exist");
			hasNoSecret(report, output);
		}
	}

	@Test
	void checksumMismatchAtALocationWithCredentialsIsReportedWithThemMasked(CapturedOutput output) {
		try (ModelServer server = ModelServer.start().serve("/models/det.onnx", TestModels.convNet())) {
			assertThatException()
				.isThrownBy(() -> run("--onnx.cuda.enabled=false", DEBUG_STARTER_LOG,
						"--onnx.models.detector.location=" + server.url("ghp_t0ken", "/models/det.onnx?sig=s3cr3t"),
						"--onnx.models.detector.sha256=" + "0".repeat(64)))
				.satisfies(OnnxModelFailureAnalyzerTests::hasNoSecret);
			FailureAnalysis report = RecordingFailureAnalysisReporter.last();
			assertThat(report).as("the failure analysis Spring Boot reports").isNotNull();
			assertThat(report.getDescription())
				.contains("ONNX model 'detector': the model file " + server.url("******", "/models/det.onnx?sig=******")
						+ " has SHA-256")
				.contains("[property onnx.models.detector.sha256]");
			hasNoSecret(report, output);
		}
	}

	@Test
	void unreadableModelAtALocationWithCredentialsIsReportedWithThemMasked(CapturedOutput output) {
		try (ModelServer server = ModelServer.start().failReading("/models/det.onnx", 500)) {
			assertThatException()
				.isThrownBy(() -> run("--onnx.cuda.enabled=false", DEBUG_STARTER_LOG,
						"--onnx.models.detector.location="
								+ server.url("user:secret", "/models/det.onnx?token=s3cr3t")))
				.satisfies(OnnxModelFailureAnalyzerTests::hasNoSecret);
			FailureAnalysis report = RecordingFailureAnalysisReporter.last();
			assertThat(report).as("the failure analysis Spring Boot reports").isNotNull();
			assertThat(report.getDescription())
				.contains("the model file " + server.url("user:******", "/models/det.onnx?token=******")
						+ " cannot be downloaded: the server answered HTTP 500");
			hasNoSecret(report, output);
		}
	}

	// the whole cause chain, which a user debugging start-up sees logged with its stack
	private static void hasNoSecret(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			assertThat(cause.toString()).doesNotContain("secret", "s3cr3t", "ghp_t0ken");
		}
	}

	private static void hasNoSecret(FailureAnalysis report, CapturedOutput output) {
		assertThat(report.getDescription() + report.getAction()).doesNotContain("secret", "s3cr3t", "ghp_t0ken");
		hasNoSecret(report.getCause());
		assertThat(output).doesNotContain("secret", "s3cr3t", "ghp_t0ken");
	}

	private static void run(String... args) {
		SpringApplication application = new SpringApplication(FailingApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args).close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(OnnxAutoConfiguration.class)
	static class FailingApplication {

	}

}
