package io.github.onnxgpu.boot.diagnostics;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.test.RecordingFailureAnalysisReporter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link OnnxModelFailureAnalyzer} and for how bad configuration is reported
 * when a real application fails to start.
 */
class OnnxModelFailureAnalyzerTests {

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
