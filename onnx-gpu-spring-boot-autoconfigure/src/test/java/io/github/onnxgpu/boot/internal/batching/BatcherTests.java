package io.github.onnxgpu.boot.internal.batching;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.model.OnnxModelBusyException.Reason;
import io.github.onnxgpu.boot.test.ConcurrentCallers;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link Batcher}, through {@link OnnxInference} as an application calls it.
 */
class BatcherTests {

	private static final int CALLERS = 8;

	private static final int RUNS = 40;

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void eachCallerGetsItsOwnRowsEqualToAnUnbatchedRun() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.max-batch-size=4", "onnx.models.scaled.batching.max-delay=20ms",
					"onnx.models.scaled.warmup.shapes[0].x=1x4", "onnx.models.scaled.warmup.values.scale=1")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				ManagedModel model = model(context, "scaled");
				runConcurrently((caller, run) -> {
					float scale = 1 + (caller % 2);
					float[] row = row(caller, run);
					try (OnnxTensor x = tensor(new float[][] { row });
							OnnxTensor s = scalar(scale);
							Result batched = inference.run("scaled", Map.of("x", x, "scale", s));
							Result alone = model.call((session) -> session.run(Map.of("x", x, "scale", s)))) {
						float[][] y = (float[][]) batched.get("y").orElseThrow().getValue();
						assertThat(y).hasDimensions(1, 4);
						for (int i = 0; i < 4; i++) {
							assertThat(y[0][i]).isEqualTo(row[i] * scale);
						}
						assertThat(y).isEqualTo(alone.get(0).getValue());
					}
				});
				BatchingStats stats = model.batcher().stats();
				assertThat(stats.requests()).isEqualTo(CALLERS * RUNS);
				// runs were stacked, not run one by one
				assertThat(stats.batches()).isLessThan(stats.requests());
				assertThat(stats.meanBatchSize()).isGreaterThan(1.0);
			});
	}

	@Test
	void batchDimensionOtherThanZeroAndControlInputs() {
		String location = ModelFiles.write(this.models, "vad.onnx", TestModels.voiceActivityDetector());
		this.contextRunner
			.withPropertyValues("onnx.models.vad.location=" + location, "onnx.models.vad.batching.enabled=true",
					"onnx.models.vad.batching.max-batch-size=8", "onnx.models.vad.batching.max-delay=20ms",
					"onnx.models.vad.batching.dimensions.state=1", "onnx.models.vad.batching.dimensions.stateN=1",
					"onnx.models.vad.warmup.shapes[0].input=1x32", "onnx.models.vad.warmup.shapes[0].state=2x1x128",
					"onnx.models.vad.warmup.values.sr=" + TestModels.VAD_SAMPLE_RATE)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				OnnxInference inference = context.getBean(OnnxInference.class);
				ManagedModel model = model(context, "vad");
				assertThat(model.batcher().layout().outputDimensions()).containsEntry("output", 0)
					.containsEntry("stateN", 1);
				runConcurrently((caller, run) -> {
					float[] audio = new float[32];
					Arrays.fill(audio, caller + run / 100f);
					float[][][] state = new float[2][1][128];
					state[0][0][5] = caller;
					state[1][0][7] = run;
					try (OnnxTensor input = tensor(new float[][] { audio });
							OnnxTensor stateTensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), state);
							OnnxTensor sr = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
									TestModels.VAD_SAMPLE_RATE);
							Result result = inference.run("vad",
									Map.of("input", input, "state", stateTensor, "sr", sr))) {
						float[][] output = (float[][]) result.get("output").orElseThrow().getValue();
						assertThat(output[0][0]).isCloseTo(caller + run / 100f, within(1e-5f));
						float[][][] stateN = (float[][][]) result.get("stateN").orElseThrow().getValue();
						assertThat(stateN).isEqualTo(state);
					}
				});
				assertThat(model.batcher().stats().batches()).isLessThan(CALLERS * RUNS);
			});
	}

	@Test
	void runsOfOtherShapesAreNotStackedTogether() {
		String location = ModelFiles.write(this.models, "embedding.onnx", TestModels.embeddingModel());
		this.contextRunner
			.withPropertyValues("onnx.models.embedding.location=" + location,
					"onnx.models.embedding.batching.enabled=true", "onnx.models.embedding.batching.max-delay=20ms",
					"onnx.models.embedding.warmup.shapes[0].input_ids=1x8")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				ManagedModel model = model(context, "embedding");
				runConcurrently((caller, run) -> {
					int length = 4 + (caller % 3) * 4;
					long[][] ids = new long[1][length];
					long[][] mask = new long[1][length];
					for (int i = 0; i < length; i++) {
						ids[0][i] = (caller * 7 + run + i) % 100;
						mask[0][i] = 1;
					}
					OrtEnvironment environment = OrtEnvironment.getEnvironment();
					try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, ids);
							OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask);
							Result batched = inference.run("embedding",
									Map.of("input_ids", idTensor, "attention_mask", maskTensor));
							Result alone = model.call((session) -> session
								.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor)))) {
						// equal within float rounding: a reduction over a batch may sum
						// in
						// another order
						float[] expected = ((float[][]) alone.get(0).getValue())[0];
						float[][] actual = (float[][]) batched.get(0).getValue();
						assertThat(actual).hasDimensions(1, expected.length);
						assertThat(actual[0]).containsExactly(expected, within(1e-6f));
					}
				});
				assertThat(model.batcher().stats().batches()).isLessThan(CALLERS * RUNS);
			});
	}

	@Test
	void warmupRunsEveryBatchSizeTheBatcherForms() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.max-batch-size=6", "onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				List<Long> batchSizes = model(context, "scaled").warmupShapes()
					.stream()
					.map((shape) -> shape.get("x")[0])
					.toList();
				assertThat(batchSizes).containsExactly(1L, 2L, 4L, 6L);
			});
	}

	@Test
	void outputThatDoesNotScaleWithTheBatchStopsStartup() {
		String location = ModelFiles.write(this.models, "nonzero.onnx", TestModels.nonZeroIndices());
		this.contextRunner
			.withPropertyValues("onnx.models.nonzero.location=" + location, "onnx.models.nonzero.batching.enabled=true",
					"onnx.models.nonzero.warmup.shapes[0].x=1x4", "onnx.models.nonzero.warmup.data=random")
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getProperty()).isEqualTo("onnx.models.nonzero.batching.dimensions.indices");
				assertThat(failure.getMessage()).contains("'indices' does not scale with the batch")
					.contains("batching.enabled=false");
			});
	}

	@Test
	void staticBatchDimensionStopsStartup() {
		String location = ModelFiles.write(this.models, "static.onnx", TestModels.staticConvNet());
		this.contextRunner
			.withPropertyValues("onnx.models.static.location=" + location, "onnx.models.static.batching.enabled=true")
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getProperty()).isEqualTo("onnx.models.static.batching.enabled");
				assertThat(failure.getMessage()).contains("no input has a dynamic batch dimension");
			});
	}

	@Test
	void scalarNamedAsBatchedStopsStartup() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.dimensions.scale=0", "onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getProperty()).isEqualTo("onnx.models.scaled.batching.dimensions.scale");
				assertThat(failure.getMessage()).contains("has rank 0").contains("a scalar carries no batch");
			});
	}

	@Test
	void badBatchingSettingsStopStartup() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.queue-size=0")
			.run((context) -> assertThat(StartupFailures.modelException(context).getProperty())
				.isEqualTo("onnx.models.scaled.batching.queue-size"));
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.batching.timeout=0s")
			.run((context) -> assertThat(StartupFailures.modelException(context).getProperty())
				.isEqualTo("onnx.batching.timeout"));
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.instances=0")
			.run((context) -> assertThat(StartupFailures.modelException(context).getProperty())
				.isEqualTo("onnx.models.scaled.instances"));
	}

	@Test
	void fullQueueRefusesAtOnceAndQueuedRunTimesOut() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		// the worker waits for a full batch that never comes, so the queue stays put
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.max-delay=1h", "onnx.models.scaled.batching.queue-size=1",
					"onnx.models.scaled.batching.timeout=3s", "onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				try (OnnxTensor x = tensor(new float[][] { row(1, 1) }); OnnxTensor s = scalar(2)) {
					CompletableFuture<Result> queued = inference.runAsync("scaled", Map.of("x", x, "scale", s));
					long start = System.nanoTime();
					assertThatExceptionOfType(OnnxModelBusyException.class)
						.isThrownBy(() -> inference.run("scaled", Map.of("x", x, "scale", s)))
						.satisfies((busy) -> {
							assertThat(busy.getReason()).isEqualTo(Reason.QUEUE_FULL);
							assertThat(busy.getModelName()).isEqualTo("scaled");
							assertThat(busy.getMessage()).contains("onnx.models.scaled.batching.queue-size");
						});
					// refused without waiting for the queued run's timeout: that run is
					// still queued (a bound, not a timing: a loaded machine passes it)
					assertThat(queued).isNotDone();
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
					assertThat(queued).failsWithin(Duration.ofSeconds(10))
						.withThrowableOfType(ExecutionException.class)
						.havingCause()
						.isInstanceOfSatisfying(OnnxModelBusyException.class, (busy) -> {
							assertThat(busy.getReason()).isEqualTo(Reason.TIMEOUT);
							assertThat(busy.getMessage()).contains("onnx.models.scaled.batching.timeout");
						});
				}
				BatchingStats stats = model(context, "scaled").batcher().stats();
				assertThat(stats.refusedQueueFull()).isEqualTo(1);
				assertThat(stats.refusedTimeout()).isEqualTo(1);
				assertThat(stats.queueDepth()).isZero();
			});
	}

	@Test
	void shutdownRefusesQueuedRunsBeforeSessionsClose() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		List<CompletableFuture<Result>> queued = new ArrayList<>();
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.max-delay=1h", "onnx.models.scaled.batching.timeout=1h",
					"onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				try (OnnxTensor x = tensor(new float[][] { row(1, 1) }); OnnxTensor s = scalar(2)) {
					for (int i = 0; i < 5; i++) {
						queued.add(inference.runAsync("scaled", Map.of("x", x, "scale", s)));
					}
				}
				assertThat(model(context, "scaled").batcher().stats().queueDepth()).isEqualTo(5);
			});
		// the context is closed: every queued run ended, refused, none hangs
		for (CompletableFuture<Result> run : queued) {
			assertThat(run).failsWithin(Duration.ofSeconds(5))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOfSatisfying(OnnxModelBusyException.class,
						(busy) -> assertThat(busy.getReason()).isEqualTo(Reason.SHUTTING_DOWN));
		}
	}

	private static ManagedModel model(AssertableApplicationContext context, String name) {
		assertThat(context).hasNotFailed();
		return context.getBean(ManagedModelRegistry.class).get(name);
	}

	private static float[] row(int caller, int run) {
		return new float[] { caller, run, caller * 1000 + run, -caller };
	}

	private static OnnxTensor tensor(float[][] values) throws Exception {
		return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), values);
	}

	private static OnnxTensor scalar(float value) throws Exception {
		return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), value);
	}

	private static void runConcurrently(ConcurrentCallers.CallerRun work) throws Exception {
		ConcurrentCallers.run(CALLERS, RUNS, work);
	}

}
