package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.test.OnnxContextRunners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link BatchersLifecycle}: a batcher's workers run from the context's start
 * to its stop, not from the batcher's creation.
 */
class BatchersLifecycleTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void batchersRunFromTheContextsStartToItsStop() {
		Path file = this.models.resolve("m.onnx");
		ModelReloaderTests.write(file, ModelReloaderTests.times(2));
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=file:" + file, "onnx.models.m.batching.enabled=true",
					"onnx.models.m.batching.max-batch-size=4", "onnx.models.m.batching.workers=1",
					"onnx.models.m.warmup.shapes[0].x=1x4", "onnx.shutdown.await-termination-period=5s")
			.run((context) -> {
				BatchersLifecycle lifecycle = context.getBean(BatchersLifecycle.class);
				assertThat(lifecycle.isRunning()).isTrue();
				assertThat(workerAlive()).isTrue();
				OnnxInference inference = context.getBean(OnnxInference.class);
				assertThat(run(inference)).isEqualTo(2f);
				assertThat(context.getBean(ManagedModelRegistry.class).get("m").batcher().stats().batches())
					.isPositive();
				context.stop();
				assertThat(lifecycle.isRunning()).isFalse();
				assertThat(workerAlive()).isFalse();
				assertThatExceptionOfType(OnnxModelBusyException.class).isThrownBy(() -> run(inference))
					.satisfies(
							(ex) -> assertThat(ex.getReason()).isEqualTo(OnnxModelBusyException.Reason.SHUTTING_DOWN));
			});
	}

	private static boolean workerAlive() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((thread) -> thread.getName().equals("onnx-batch-m-1"));
	}

	private static float run(OnnxInference inference) throws Exception {
		try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), new float[][] { { 1, 1, 1, 1 } });
				Result result = inference.run("m", Map.of("x", x))) {
			return ((float[][]) result.get("y").orElseThrow().getValue())[0][0];
		}
	}

}
