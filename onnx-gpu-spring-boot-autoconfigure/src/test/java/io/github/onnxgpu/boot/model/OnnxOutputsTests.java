package io.github.onnxgpu.boot.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.test.ModelFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OnnxOutputs}: a run's outputs read by name, a wrong name or type named
 * in the error.
 */
class OnnxOutputsTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withPropertyValues("onnx.cuda.enabled=false", "onnx.warmup.enabled=false");

	@Test
	void readsOutputsByNameAndNamesTheModelTheOutputAndTheOutputsOnAWrongName() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				try (OnnxTensor input = OnnxTensor.createTensor(environment, new float[1][3][4][4]);
						Result result = context.getBean(OnnxInference.class).run("detector", Map.of("x", input))) {
					OnnxOutputs outputs = OnnxOutputs.of("detector", result);
					float[][][][] y = outputs.get("y", float[][][][].class);
					assertThat(y).isDeepEqualTo((float[][][][]) outputs.tensor("y").getValue());
					assertThat(outputs.value("y")).isSameAs(result.get("y").orElseThrow());
					assertThatExceptionOfType(NoSuchElementException.class)
						.isThrownBy(() -> outputs.get("probability", float[][][][].class))
						.withMessage("ONNX model 'detector' has no output 'probability' in this result; its outputs "
								+ "are [y]. Fix: use one of those names (all the model's outputs are listed under "
								+ "outputs at /actuator/onnx/detector), or ask for the output when running");
					assertThatExceptionOfType(ClassCastException.class)
						.isThrownBy(() -> outputs.get("y", float[][].class))
						.withMessageStartingWith("ONNX model 'detector': output 'y' is a float[][][][] (TensorInfo(")
						.withMessageEndingWith("), not a float[][]");
				}
			});
	}

}
