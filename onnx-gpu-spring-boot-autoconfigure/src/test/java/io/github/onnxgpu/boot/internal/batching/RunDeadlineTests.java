package io.github.onnxgpu.boot.internal.batching;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.model.OnnxModelBusyException.Reason;
import io.github.onnxgpu.boot.model.OnnxRunOptions;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for a run's own deadline ({@link OnnxRunOptions}): refused while queued, or
 * terminated inside ONNX Runtime when it runs alone.
 */
class RunDeadlineTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void queuedRunPastItsOwnDeadlineIsRefusedBeforeTheQueueTimeout() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		// a batch that never fills, a queue timeout of an hour: only the run's own
		// deadline ends its wait
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.max-delay=1h", "onnx.models.scaled.batching.timeout=1h",
					"onnx.models.scaled.batching.workers=1", "onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				OrtEnvironment environment = OrtEnvironment.getEnvironment();
				try (OnnxTensor x = OnnxTensor.createTensor(environment, new float[][] { { 1, 2, 3, 4 } });
						OnnxTensor s = OnnxTensor.createTensor(environment, 2f)) {
					assertThatExceptionOfType(OnnxModelBusyException.class)
						.isThrownBy(() -> inference.run("scaled", Map.of("x", x, "scale", s),
								OnnxRunOptions.timeout(Duration.ofMillis(200))))
						.satisfies((busy) -> {
							assertThat(busy.getReason()).isEqualTo(Reason.TIMEOUT);
							assertThat(busy.getMessage()).contains("still queued")
								.contains("own deadline of PT0.2S")
								.contains("never reached ONNX Runtime");
						});
				}
				BatchingStats stats = context.getBean(ManagedModelRegistry.class).get("scaled").batcher().stats();
				assertThat(stats.refusedTimeout()).isEqualTo(1);
				assertThat(stats.queueDepth()).isZero();
			});
	}

	@Test
	void runInOnnxRuntimePastItsDeadlineIsTerminatedAndTheModelServesOn() {
		String location = ModelFiles.write(this.models, "heavy.onnx", heavyModel());
		this.contextRunner
			.withPropertyValues("onnx.models.heavy.location=" + location, "onnx.models.heavy.warmup.enabled=false")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				OrtEnvironment environment = OrtEnvironment.getEnvironment();
				try (OnnxTensor x = OnnxTensor.createTensor(environment, new float[64][WIDTH])) {
					assertThatExceptionOfType(OnnxModelBusyException.class).isThrownBy(
							() -> inference.run("heavy", Map.of("x", x), OnnxRunOptions.timeout(Duration.ofMillis(5))))
						.satisfies((busy) -> {
							assertThat(busy.getReason()).isEqualTo(Reason.TIMEOUT);
							assertThat(busy.getMessage()).contains("terminated inside ONNX Runtime")
								.contains("PT0.005S");
						});
					// the session serves the next run, and one within a long deadline
					try (Result result = inference.run("heavy", Map.of("x", x),
							OnnxRunOptions.timeout(Duration.ofMinutes(2)))) {
						assertThat(result.get("y")).isPresent();
					}
				}
			});
	}

	private static final int WIDTH = 1024;

	// a chain of 24 MatMuls of 1024 x 1024 over 64 rows: about 1.6 GFLOP a run, far
	// longer than 5 ms on any CPU, with many nodes between which ONNX Runtime checks the
	// terminate flag
	private static byte[] heavyModel() {
		OnnxModelBuilder builder = OnnxModelBuilder.graph("heavy")
			.input("x", TensorType.FLOAT, "N", WIDTH)
			.output("y", TensorType.FLOAT, "N", WIDTH);
		Random random = new Random(5);
		float[] weights = new float[WIDTH * WIDTH];
		for (int i = 0; i < weights.length; i++) {
			weights[i] = (random.nextFloat() - 0.5f) / 32;
		}
		builder.initializer("w", weights, WIDTH, WIDTH);
		String current = "x";
		for (int layer = 0; layer < 24; layer++) {
			String next = (layer == 23) ? "y" : "h" + layer;
			builder.node("MatMul", List.of(current, "w"), List.of(next));
			current = next;
		}
		return builder.toByteArray();
	}

}
