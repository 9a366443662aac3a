package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.Result;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DefaultOnnxInference#runAsync} on a batched model: each caller's run
 * is one {@code onnx.inference} observation, from the call to the result, its time in the
 * queue included, as for {@code run}.
 */
class DefaultOnnxInferenceBatchedTests {

	@TempDir
	Path models;

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	// a stopped observation is a timer's count, as Spring Boot records it
	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	{
		this.observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(this.meters));
	}

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withBean(ObservationRegistry.class, () -> this.observations)
		.withPropertyValues("onnx.cuda.enabled=false");

	@Test
	void runAsyncOnABatchedModelIsObservedUntilItsResultComes() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		// a batch runs when 2 runs are queued, never on a delay
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.max-delay=1h", "onnx.models.scaled.batching.max-batch-size=2",
					"onnx.models.scaled.batching.queue-size=2", "onnx.models.scaled.batching.timeout=1m",
					"onnx.models.scaled.batching.workers=1", "onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				try (OnnxTensor x = OnnxTensor.createTensor(environment, new float[][] { { 1, 2, 3, 4 } });
						OnnxTensor two = OnnxTensor.createTensor(environment, 2f)) {
					CompletableFuture<Result> first = inference.runAsync("scaled", Map.of("x", x, "scale", two));
					TestObservationRegistryAssert.assertThat(this.observations)
						.hasNumberOfObservationsWithNameEqualTo("onnx.inference", 1)
						.hasObservationWithNameEqualTo("onnx.inference")
						.that()
						.hasLowCardinalityKeyValue("model", "scaled")
						.hasBeenStarted()
						.isNotStopped();
					assertThat(this.meters.find("onnx.inference").timer()).isNull();
					CompletableFuture<Result> second = inference.runAsync("scaled", Map.of("x", x, "scale", two));
					try (Result one = first.get(10, TimeUnit.SECONDS);
							Result other = second.get(10, TimeUnit.SECONDS)) {
						assertThat(((OnnxTensor) one.get("y").orElseThrow()).getFloatBuffer().array())
							.containsExactly(2, 4, 6, 8);
					}
					// stopped before the caller's future completed
					TestObservationRegistryAssert.assertThat(this.observations)
						.hasNumberOfObservationsWithNameEqualTo("onnx.inference", 2)
						.forAllObservationsWithNameEqualTo("onnx.inference",
								(observation) -> observation.hasLowCardinalityKeyValue("outcome", "success"));
					assertThat(this.meters.get("onnx.inference").tag("outcome", "success").timer().count())
						.isEqualTo(2);
				}
			});
	}

	@Test
	void refusedRunAsyncIsObservedAsAnError() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.max-delay=1h", "onnx.models.scaled.batching.max-batch-size=2",
					"onnx.models.scaled.batching.queue-size=2", "onnx.models.scaled.batching.timeout=1m",
					"onnx.models.scaled.batching.workers=1", "onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				try (OnnxTensor x = OnnxTensor.createTensor(environment, new float[][] { { 1, 2, 3, 4 } });
						OnnxTensor two = OnnxTensor.createTensor(environment, 2f);
						OnnxTensor three = OnnxTensor.createTensor(environment, 3f)) {
					// two runs that cannot share a batch fill the queue of 2
					inference.runAsync("scaled", Map.of("x", x, "scale", two));
					inference.runAsync("scaled", Map.of("x", x, "scale", three));
					CompletableFuture<Result> refused = inference.runAsync("scaled", Map.of("x", x, "scale", two));
					assertThatExceptionOfType(ExecutionException.class)
						.isThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
						.withCauseInstanceOf(OnnxModelBusyException.class);
				}
				TestObservationRegistryAssert.assertThat(this.observations)
					.hasNumberOfObservationsWithNameEqualTo("onnx.inference", 3)
					.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("outcome", "error")
						.assertThatError()
						.isInstanceOf(OnnxModelBusyException.class));
				assertThat(this.meters.get("onnx.inference").tag("outcome", "error").timer().count()).isOne();
			});
	}

}
