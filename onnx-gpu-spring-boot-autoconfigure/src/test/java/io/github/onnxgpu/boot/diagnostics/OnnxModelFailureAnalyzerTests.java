package io.github.onnxgpu.boot.diagnostics;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link OnnxModelFailureAnalyzer} and for how bad configuration is reported
 * when a real application fails to start.
 */
@ExtendWith(OutputCaptureExtension.class)
class OnnxModelFailureAnalyzerTests {

	@TempDir
	Path models;

	@Test
	void missingModelIsReportedWithDescriptionAndAction(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--onnx.cuda.enabled=false",
				"--onnx.models.detector.location=file:" + this.models.resolve("det.onnx")));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("ONNX model 'detector': the model file")
			.contains("does not exist [property onnx.models.detector.location]")
			.contains("Update onnx.models.detector.location: correct onnx.models.detector.location or put the model file there");
	}

	@Test
	void unknownEnumValueIsReportedWithValidValues(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--onnx.cuda.enabled=false",
				"--onnx.models.detector.location=file:" + this.models.resolve("det.onnx"),
				"--onnx.models.detector.cuda.cudnn-conv-algo-search=FASTEST"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("onnx.models.detector.cuda.cudnn-conv-algo-search")
			.contains("FASTEST")
			.contains("The following values are valid")
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
