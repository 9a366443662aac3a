package io.github.onnxgpu.boot.internal.batching;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.session.InstanceState;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.test.GpuAvailability;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Batched runs on two CUDA instances of a real GPU. Only with {@code -Pgpu} on a machine
 * where ONNX Runtime's CUDA provider loads; reported as skipped, with the reason,
 * everywhere else.
 */
class BatchingGpuTests {

	@TempDir
	Path models;

	@BeforeEach
	void requireGpu() {
		assumeTrue(Boolean.getBoolean("onnxgpu.test.gpu"), "GPU tests run with -Pgpu");
		assumeTrue(GpuAvailability.cudaLoads(), () -> "CUDA cannot be loaded here: " + GpuAvailability.failure());
	}

	@Test
	void batchedRunsOnTwoCudaInstancesReturnEachCallersRows() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withPropertyValues("onnx.cuda.fallback=fail", "onnx.models.scaled.location=" + location,
					"onnx.models.scaled.instances=2", "onnx.models.scaled.cuda.device-ids=0",
					"onnx.models.scaled.batching.enabled=true", "onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("scaled");
				assertThat(model.instances()).extracting(InstanceState::provider).containsOnly(OrtProvider.CUDA);
				OnnxInference inference = context.getBean(OnnxInference.class);
				ExecutorService callers = Executors.newFixedThreadPool(8);
				try {
					List<Future<?>> done = new ArrayList<>();
					for (int caller = 0; caller < 8; caller++) {
						float value = caller;
						done.add(callers.submit(() -> {
							OrtEnvironment environment = OrtEnvironment.getEnvironment();
							for (int run = 0; run < 50; run++) {
								try (OnnxTensor x = OnnxTensor.createTensor(environment,
										new float[][] { { value, value, value, value } });
										OnnxTensor scale = OnnxTensor.createTensor(environment, 2f);
										Result result = inference.run("scaled", Map.of("x", x, "scale", scale))) {
									assertThat(((float[][]) result.get(0).getValue())[0]).containsOnly(value * 2);
								}
							}
							return null;
						}));
					}
					for (Future<?> each : done) {
						each.get(60, TimeUnit.SECONDS);
					}
				}
				finally {
					callers.shutdownNow();
				}
				assertThat(model.batcher().stats().requests()).isEqualTo(400);
			});
	}

}
