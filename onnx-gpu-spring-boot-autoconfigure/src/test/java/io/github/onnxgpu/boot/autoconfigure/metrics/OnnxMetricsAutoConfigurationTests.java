package io.github.onnxgpu.boot.autoconfigure.metrics;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.Result;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.metrics.OnnxMetrics;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OnnxMetricsAutoConfiguration} and the metrics it registers.
 */
class OnnxMetricsAutoConfigurationTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class, OnnxMetricsAutoConfiguration.class,
				MetricsAutoConfiguration.class, ObservationAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("onnx.cuda.enabled=false");

	@Test
	void batchingIsMeteredPerModel() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.max-delay=1h", "onnx.models.scaled.batching.max-batch-size=2",
					"onnx.models.scaled.batching.queue-size=2", "onnx.models.scaled.batching.timeout=1m",
					"onnx.models.scaled.warmup.shapes[0].x=1x4",
					// one worker: a second one would not wait for max-delay while the
					// first runs a batch
					"onnx.models.scaled.batching.workers=1")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				OnnxInference inference = context.getBean(OnnxInference.class);
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				try (OnnxTensor x = OnnxTensor.createTensor(environment, new float[][] { { 1, 2, 3, 4 } });
						OnnxTensor two = OnnxTensor.createTensor(environment, 2f);
						OnnxTensor three = OnnxTensor.createTensor(environment, 3f)) {
					// the worker waits for a full batch of 2: the first run waits in the
					// queue
					CompletableFuture<Result> first = inference.runAsync("scaled", Map.of("x", x, "scale", two));
					assertThat(meters.get(OnnxMetrics.BATCH_QUEUE_DEPTH).tag("model", "scaled").gauge().value())
						.isEqualTo(1);
					CompletableFuture<Result> second = inference.runAsync("scaled", Map.of("x", x, "scale", two));
					first.get(10, TimeUnit.SECONDS).close();
					second.get(10, TimeUnit.SECONDS).close();
					// two runs that cannot be batched together fill the queue of 2
					inference.runAsync("scaled", Map.of("x", x, "scale", two));
					inference.runAsync("scaled", Map.of("x", x, "scale", three));
					assertThatExceptionOfType(OnnxModelBusyException.class)
						.isThrownBy(() -> inference.run("scaled", Map.of("x", x, "scale", two)));
				}
				assertThat(meters.get(OnnxMetrics.BATCH_SIZE).tag("model", "scaled").summary().count()).isEqualTo(1);
				assertThat(meters.get(OnnxMetrics.BATCH_SIZE).tag("model", "scaled").summary().totalAmount())
					.isEqualTo(2);
				assertThat(meters.get(OnnxMetrics.BATCH_QUEUE_TIME).tag("model", "scaled").timer().count())
					.isEqualTo(2);
				assertThat(meters.get(OnnxMetrics.BATCH_REFUSED)
					.tags("model", "scaled", "reason", "queue_full")
					.counter()
					.count()).isEqualTo(1);
				assertThat(meters.get(OnnxMetrics.BATCH_REFUSED).tags("reason", "timeout").counter().count()).isZero();
			});
	}

	@Test
	void warmupAndSessionCreationAreGaugedPerModelAndShape() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.shapes[0].x=1x3x16x16",
					"onnx.models.detector.warmup.shapes[1].x=1x3x32x32")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get(OnnxMetrics.WARMUP_DURATION).tag("model", "detector").timeGauge().value())
					.isNaN();
				ModelFiles.publishReady(context.getSourceApplicationContext());
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				assertThat(meters.get(OnnxMetrics.WARMUP_DURATION)
					.tags("model", "detector", "provider", "CPU")
					.timeGauge()
					.value(TimeUnit.NANOSECONDS))
					.isEqualTo(model.warmupResult().duration().toNanos(), org.assertj.core.data.Offset.offset(1.0));
				assertThat(meters.get(OnnxMetrics.WARMUP_SAMPLE_FIRST)
					.tag("shape", "1x3x32x32")
					.timeGauge()
					.value(TimeUnit.NANOSECONDS)).isEqualTo(model.warmupResult().samples().get(1).first().toNanos(),
							org.assertj.core.data.Offset.offset(1.0));
				assertThat(meters.get(OnnxMetrics.WARMUP_SAMPLE_LAST)
					.tag("shape", "1x3x16x16")
					.timeGauge()
					.value(TimeUnit.NANOSECONDS)).isEqualTo(model.warmupResult().samples().get(0).last().toNanos(),
							org.assertj.core.data.Offset.offset(1.0));
				assertThat(meters.get(OnnxMetrics.SESSION_CREATION).tag("model", "detector").timeGauge().value())
					.isPositive();
			});
	}

	@Test
	void tuningDurationAndChosenCandidateAreGaugedForATunedModel(@TempDir Path cache) {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.shapes[0].x=1x3x8x8", "onnx.models.detector.tuning.enabled=true",
					"onnx.models.detector.tuning.runs=5", "onnx.models.detector.tuning.cache.directory=" + cache,
					"onnx.models.detector.tuning.candidates[0].session.intra-op-threads=1",
					"onnx.models.detector.tuning.candidates[1].session.intra-op-threads=2",
					"onnx.models.plain.location=" + ModelFiles.convNet(this.models),
					"onnx.models.plain.warmup.shapes[0].x=1x3x8x8")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get(OnnxMetrics.TUNING_CHOSEN).tag("model", "detector").gauge().value()).isNaN();
				ModelFiles.publishReady(context);
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				assertThat(meters.get(OnnxMetrics.TUNING_CHOSEN).tag("model", "detector").gauge().value())
					.isEqualTo(model.tuningReport().chosen().doubleValue());
				assertThat(meters.get(OnnxMetrics.TUNING_DURATION)
					.tag("model", "detector")
					.timeGauge()
					.value(TimeUnit.MILLISECONDS))
					.isEqualTo(model.tuningReport().tuningMillis(), org.assertj.core.data.Offset.offset(0.001));
				assertThat(meters.find(OnnxMetrics.TUNING_CHOSEN).tag("model", "plain").gauge()).isNull();
			});
	}

	@Test
	void inferenceIsTimedPerModelProviderAndOutcome() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				try (OnnxTensor input = OnnxTensor.createTensor(environment, new float[1][3][8][8])) {
					for (int i = 0; i < 3; i++) {
						inference.run("detector", Map.of("x", input)).close();
					}
					// refused by the starter, naming the model, before ONNX Runtime sees
					// it
					assertThatExceptionOfType(IllegalArgumentException.class)
						.isThrownBy(() -> inference.run("detector", Map.of("wrong", input)))
						.withMessageContaining("ONNX model 'detector'")
						.withMessageContaining("'wrong' is not an input");
				}
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get(OnnxMetrics.INFERENCE)
					.tags("model", "detector", "provider", "CPU", "outcome", "success")
					.timer()
					.count()).isEqualTo(3);
				assertThat(
						meters.get(OnnxMetrics.INFERENCE).tags("model", "detector", "outcome", "error").timer().count())
					.isEqualTo(1);
				// one timer per outcome, made by the observation handler: no second timer
				// path
				assertThat(meters.find("onnx.inference").timers()).hasSize(2);
			});
	}

	@Test
	void inferenceObservationCanBeSwitchedOffByProperty() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false", "management.observations.enable.onnx.inference=false")
			.run((context) -> {
				try (OnnxTensor input = OnnxTensor.createTensor(context.getBean(OrtEnvironment.class),
						new float[1][3][8][8])) {
					context.getBean(OnnxInference.class).run("detector", Map.of("x", input)).close();
				}
				assertThat(context.getBean(MeterRegistry.class).find("onnx.inference").timers()).isEmpty();
			});
	}

	@Test
	void metricsBackOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(OnnxMetrics.class)
				.hasSingleBean(OnnxInference.class));
	}

}
