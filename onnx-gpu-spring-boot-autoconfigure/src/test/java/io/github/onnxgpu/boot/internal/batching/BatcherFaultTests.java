package io.github.onnxgpu.boot.internal.batching;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
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
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link Batcher}: one caller's fault is its own. Batches are formed
 * deterministically: one worker that waits ({@code max-delay: 1h}) until a batch is full.
 */
class BatcherFaultTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void failingRunInABatchFailsOnlyItsCallerWithOnnxRuntimesMessage() {
		String location = ModelFiles.write(this.models, "picker.onnx", TestModels.rowPicker());
		this.contextRunner.withPropertyValues(full("picker", location, 4))
			.withPropertyValues("onnx.models.picker.warmup.shapes[0].x=1x4",
					"onnx.models.picker.warmup.shapes[0].index=1x1", "onnx.models.picker.warmup.data=zeros")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				List<CompletableFuture<Result>> runs = new ArrayList<>();
				List<OnnxTensor> tensors = new ArrayList<>();
				long[] indices = { 0, 9, 2, 3 };
				for (int caller = 0; caller < 4; caller++) {
					OnnxTensor x = floats(
							new float[][] { { caller * 10, caller * 10 + 1, caller * 10 + 2, caller * 10 + 3 } });
					OnnxTensor index = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
							new long[][] { { indices[caller] } });
					tensors.add(x);
					tensors.add(index);
					runs.add(inference.runAsync("picker", Map.of("x", x, "index", index)));
				}
				for (int caller = 0; caller < 4; caller++) {
					if (caller == 1) {
						assertThat(runs.get(caller)).failsWithin(BOUND)
							.withThrowableOfType(ExecutionException.class)
							.havingCause()
							.isInstanceOf(OrtException.class)
							.withMessageContaining("GatherElements");
						continue;
					}
					try (Result result = runs.get(caller).get(BOUND.toSeconds(), TimeUnit.SECONDS)) {
						float[][] y = (float[][]) result.get("y").orElseThrow().getValue();
						assertThat(y).isEqualTo(new float[][] { { caller * 10 + indices[caller] } });
					}
				}
				tensors.forEach(OnnxTensor::close);
				BatchingStats stats = batcher(context, "picker").stats();
				assertThat(stats.isolatedBatches()).isEqualTo(1);
				assertThat(stats.queueDepth()).isZero();
			});
	}

	@Test
	void multiRowAndMixedRowCallersAreStackedAndSplitPerCaller() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner.withPropertyValues(full("scaled", location, 8))
			.withPropertyValues("onnx.models.scaled.warmup.shapes[0].x=1x4", "onnx.models.scaled.warmup.values.scale=1")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				int[] rows = { 3, 1, 2, 2 };
				List<float[][]> sent = new ArrayList<>();
				List<CompletableFuture<Result>> runs = new ArrayList<>();
				try (OnnxTensor scale = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), 2f)) {
					for (int caller = 0; caller < rows.length; caller++) {
						float[][] x = new float[rows[caller]][4];
						for (int r = 0; r < x.length; r++) {
							for (int c = 0; c < 4; c++) {
								x[r][c] = caller * 100 + r * 10 + c;
							}
						}
						sent.add(x);
						try (OnnxTensor tensor = floats(x)) {
							// closed at once: the queued run holds its own copy
							runs.add(inference.runAsync("scaled", Map.of("x", tensor, "scale", scale)));
						}
					}
				}
				for (int caller = 0; caller < rows.length; caller++) {
					try (Result result = runs.get(caller).get(BOUND.toSeconds(), TimeUnit.SECONDS)) {
						float[][] y = (float[][]) result.get("y").orElseThrow().getValue();
						assertThat(y).hasDimensions(rows[caller], 4);
						for (int r = 0; r < rows[caller]; r++) {
							for (int c = 0; c < 4; c++) {
								assertThat(y[r][c]).isEqualTo(sent.get(caller)[r][c] * 2);
							}
						}
					}
				}
				BatchingStats stats = batcher(context, "scaled").stats();
				// one batch of 8 samples from 4 callers
				assertThat(stats.batches()).isEqualTo(1);
				assertThat(stats.samples()).isEqualTo(8);
				assertThat(stats.requests()).isEqualTo(4);
			});
	}

	@Test
	void multiRowCallersOfABatchInDimensionOneAreSplitPerCaller() {
		String location = ModelFiles.write(this.models, "speech.onnx", TestModels.speechModel());
		this.contextRunner.withPropertyValues(full("speech", location, 4))
			.withPropertyValues("onnx.models.speech.batching.dimensions.state=1",
					"onnx.models.speech.batching.dimensions.stateN=1",
					"onnx.models.speech.warmup.shapes[0].input=1x" + TestModels.SPEECH_CHUNK,
					"onnx.models.speech.warmup.shapes[0].state=2x1x" + TestModels.SPEECH_HIDDEN)
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("speech");
				int[] rows = { 2, 1, 1 };
				List<Map<String, OnnxTensor>> inputs = new ArrayList<>();
				List<CompletableFuture<Result>> runs = new ArrayList<>();
				for (int caller = 0; caller < rows.length; caller++) {
					Map<String, OnnxTensor> tensors = speechInputs(rows[caller], caller);
					inputs.add(tensors);
					runs.add(inference.runAsync("speech", tensors));
				}
				for (int caller = 0; caller < rows.length; caller++) {
					Map<String, OnnxTensor> tensors = inputs.get(caller);
					try (Result batched = runs.get(caller).get(BOUND.toSeconds(), TimeUnit.SECONDS);
							Result alone = model.call((session) -> session.run(tensors))) {
						float[][][] state = (float[][][]) batched.get("stateN").orElseThrow().getValue();
						float[][][] expected = (float[][][]) alone.get("stateN").orElseThrow().getValue();
						assertThat(state.length).isEqualTo(2);
						assertThat(state[0].length).isEqualTo(rows[caller]);
						for (int layer = 0; layer < 2; layer++) {
							for (int r = 0; r < rows[caller]; r++) {
								assertThat(state[layer][r]).containsExactly(expected[layer][r], within(1e-5f));
							}
						}
						float[][] output = (float[][]) batched.get("output").orElseThrow().getValue();
						float[][] expectedOutput = (float[][]) alone.get("output").orElseThrow().getValue();
						assertThat(output).hasDimensions(rows[caller], 1);
						for (int r = 0; r < rows[caller]; r++) {
							assertThat(output[r][0]).isCloseTo(expectedOutput[r][0], within(1e-5f));
						}
					}
					tensors.values().forEach(OnnxTensor::close);
				}
				assertThat(model.batcher().stats().batches()).isEqualTo(1);
			});
	}

	@Test
	void inputsThatDoNotFitAreRefusedAtOnceNamingModelAndInput() {
		String location = ModelFiles.write(this.models, "speech.onnx", TestModels.speechModel());
		this.contextRunner.withPropertyValues(full("speech", location, 4))
			.withPropertyValues("onnx.models.speech.batching.dimensions.state=1",
					"onnx.models.speech.batching.dimensions.stateN=1",
					"onnx.models.speech.warmup.shapes[0].input=1x" + TestModels.SPEECH_CHUNK,
					"onnx.models.speech.warmup.shapes[0].state=2x1x" + TestModels.SPEECH_HIDDEN)
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				OrtEnvironment environment = OrtEnvironment.getEnvironment();
				Map<String, OnnxTensor> good = speechInputs(1, 0);
				try (OnnxTensor doubles = OnnxTensor.createTensor(environment, new double[1][TestModels.SPEECH_CHUNK]);
						OnnxTensor rank3 = OnnxTensor.createTensor(environment,
								new float[1][1][TestModels.SPEECH_CHUNK]);
						OnnxTensor narrow = OnnxTensor.createTensor(environment, new float[1][8]);
						OnnxTensor twoStates = OnnxTensor.createTensor(environment,
								new float[2][2][TestModels.SPEECH_HIDDEN])) {
					OnnxTensor state = good.get("state");
					assertRefused(inference, Map.of("input", doubles, "state", state), "input 'input'", "DOUBLE",
							"FLOAT");
					assertRefused(inference, Map.of("input", rank3, "state", state), "input 'input' has rank 3",
							"rank 2");
					assertRefused(inference, Map.of("input", narrow, "state", state), "dimension 1 of input 'input'",
							"is 8", "takes " + TestModels.SPEECH_CHUNK);
					assertRefused(inference, Map.of("input", good.get("input")), "input 'state' is missing");
					assertRefused(inference, Map.of("input", good.get("input"), "state", state, "sr", state),
							"'sr' is not an input of the model");
					assertRefused(inference, Map.of("input", good.get("input"), "state", twoStates), "input 'state'",
							"has batch 2 at dimension 1", "input 'input'", "has batch 1");
				}
				finally {
					good.values().forEach(OnnxTensor::close);
				}
				BatchingStats stats = batcher(context, "speech").stats();
				assertThat(stats.refusedInvalid()).isEqualTo(6);
				assertThat(stats.queueDepth()).isZero();
			});
	}

	@Test
	void runsThatGoAloneCountAgainstTheQueueBound() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.batching.enabled=true",
					"onnx.models.scaled.batching.max-batch-size=2", "onnx.models.scaled.batching.queue-size=1",
					"onnx.models.scaled.warmup.shapes[0].x=1x4", "onnx.models.scaled.warmup.values.scale=1")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				Batcher batcher = batcher(context, "scaled");
				try (OnnxTensor three = floats(new float[][] { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 } });
						OnnxTensor scale = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), 3f)) {
					// more rows than max-batch-size: alone, answered right, counted
					try (Result result = inference.run("scaled", Map.of("x", three, "scale", scale))) {
						assertThat(((float[][]) result.get("y").orElseThrow().getValue())[2]).containsExactly(27, 30,
								33, 36);
					}
					assertThat(batcher.stats().aloneRuns()).isEqualTo(1);
					// a run going alone holds the only place of the queue
					CountDownLatch started = new CountDownLatch(1);
					CountDownLatch release = new CountDownLatch(1);
					Thread holder = new Thread(() -> {
						try {
							batcher.runAlone(() -> {
								started.countDown();
								await(release);
								return null;
							});
						}
						catch (OrtException ex) {
							throw new IllegalStateException(ex);
						}
					});
					holder.start();
					assertThat(started.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
					assertThat(batcher.stats().queueDepth()).isEqualTo(1);
					assertThat(batcher.stats().running()).isEqualTo(1);
					assertThatExceptionOfType(OnnxModelBusyException.class)
						.isThrownBy(() -> inference.run("scaled", Map.of("x", three, "scale", scale)))
						.satisfies((busy) -> assertThat(busy.getReason()).isEqualTo(Reason.QUEUE_FULL));
					release.countDown();
					holder.join(BOUND.toMillis());
					assertThat(holder.isAlive()).isFalse();
				}
				BatchingStats stats = batcher.stats();
				assertThat(stats.queueDepth()).isZero();
				assertThat(stats.aloneRuns()).isEqualTo(2);
				assertThat(stats.refusedQueueFull()).isEqualTo(1);
			});
	}

	@Test
	void cancelledFuturesLeaveTheQueueAndFreeTheirPlaces() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner.withPropertyValues(full("scaled", location, 4))
			.withPropertyValues("onnx.models.scaled.batching.queue-size=2", "onnx.models.scaled.warmup.shapes[0].x=1x4",
					"onnx.models.scaled.warmup.values.scale=1")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				Batcher batcher = batcher(context, "scaled");
				try (OnnxTensor x = floats(new float[][] { { 1, 2, 3, 4 } });
						OnnxTensor scale = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), 2f)) {
					for (int round = 0; round < 3; round++) {
						CompletableFuture<Result> first = inference.runAsync("scaled", Map.of("x", x, "scale", scale));
						CompletableFuture<Result> second = inference.runAsync("scaled", Map.of("x", x, "scale", scale));
						assertThat(batcher.stats().queueDepth()).isEqualTo(2);
						assertThat(first.cancel(true)).isTrue();
						assertThat(second.cancel(true)).isTrue();
						assertThat(batcher.stats().queueDepth()).isZero();
					}
				}
				BatchingStats stats = batcher.stats();
				assertThat(stats.withdrawn()).isEqualTo(6);
				assertThat(stats.refusedQueueFull()).isZero();
				assertThat(stats.refusedShuttingDown()).isZero();
				assertThat(stats.batches()).isZero();
			});
	}

	@Test
	void interruptedCallerLeavesTheQueueAndIsNoShutdownRefusal() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner.withPropertyValues(full("scaled", location, 4))
			.withPropertyValues("onnx.models.scaled.warmup.shapes[0].x=1x4", "onnx.models.scaled.warmup.values.scale=1",
					"onnx.models.scaled.batching.timeout=1h")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				Batcher batcher = batcher(context, "scaled");
				AtomicReference<Throwable> failure = new AtomicReference<>();
				try (OnnxTensor x = floats(new float[][] { { 1, 2, 3, 4 } });
						OnnxTensor scale = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), 2f)) {
					Thread caller = new Thread(() -> {
						try (Result result = inference.run("scaled", Map.of("x", x, "scale", scale))) {
							failure.set(new AssertionError("ran"));
						}
						catch (Throwable ex) {
							failure.set(ex);
						}
					});
					caller.start();
					waitFor(() -> batcher.stats().queueDepth() == 1);
					caller.interrupt();
					caller.join(BOUND.toMillis());
					assertThat(caller.isAlive()).isFalse();
				}
				assertThat(failure.get()).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("ONNX model 'scaled'")
					.hasMessageContaining("interrupted");
				BatchingStats stats = batcher.stats();
				assertThat(stats.queueDepth()).isZero();
				assertThat(stats.withdrawn()).isEqualTo(1);
				assertThat(stats.refusedShuttingDown()).isZero();
			});
	}

	@Test
	void failedProbeOfARecurrentStateNamesTheInputAndItsDimensionProperty() {
		String location = ModelFiles.write(this.models, "vad.onnx", TestModels.speechModel());
		this.contextRunner
			.withPropertyValues("onnx.models.vad.location=" + location, "onnx.models.vad.batching.enabled=true",
					"onnx.models.vad.warmup.shapes[0].input=1x" + TestModels.SPEECH_CHUNK,
					"onnx.models.vad.warmup.shapes[0].state=2x1x" + TestModels.SPEECH_HIDDEN)
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getProperty()).isEqualTo("onnx.models.vad.batching.dimensions.state");
				assertThat(failure.getMessage()).contains("batch dimension is probably not 0 in input 'state'")
					.contains("onnx.models.vad.batching.dimensions.state=1")
					.contains("LSTM");
			});
	}

	@Test
	void wrongInputNameOfAnUnbatchedModelNamesTheModel() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.warmup.enabled=false")
			.run((context) -> {
				OnnxInference inference = context.getBean(OnnxInference.class);
				try (OnnxTensor x = floats(new float[][] { { 1, 2, 3, 4 } })) {
					assertThatExceptionOfType(IllegalArgumentException.class)
						.isThrownBy(() -> inference.run("scaled", Map.of("x", x, "scael", x)))
						.withMessageContaining("ONNX model 'scaled'")
						.withMessageContaining("'scael' is not an input of the model");
				}
			});
	}

	private static void assertRefused(OnnxInference inference, Map<String, OnnxTensor> inputs, String... parts) {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> inference.run("speech", inputs))
			.satisfies((refusal) -> assertThat(refusal.getMessage()).contains("ONNX model 'speech'").contains(parts));
	}

	// one worker that waits until its batch of the given size is full
	private static String[] full(String model, String location, int size) {
		String prefix = "onnx.models." + model + ".";
		return new String[] { prefix + "location=" + location, prefix + "batching.enabled=true",
				prefix + "batching.max-batch-size=" + size, prefix + "batching.max-delay=1h",
				prefix + "batching.workers=1" };
	}

	private static Map<String, OnnxTensor> speechInputs(int rows, int seed) throws OrtException {
		float[][] audio = new float[rows][TestModels.SPEECH_CHUNK];
		float[][][] state = new float[2][rows][TestModels.SPEECH_HIDDEN];
		for (int r = 0; r < rows; r++) {
			for (int i = 0; i < TestModels.SPEECH_CHUNK; i++) {
				audio[r][i] = (float) Math.sin(seed * 7 + r * 3 + i * 0.01);
			}
			for (int h = 0; h < TestModels.SPEECH_HIDDEN; h++) {
				state[0][r][h] = (seed + r + 1) * 0.01f * (h % 5);
				state[1][r][h] = -(seed + r + 1) * 0.02f * (h % 3);
			}
		}
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		return Map.of("input", OnnxTensor.createTensor(environment, audio), "state",
				OnnxTensor.createTensor(environment, state));
	}

	private static Batcher batcher(AssertableApplicationContext context, String name) {
		assertThat(context).hasNotFailed();
		return context.getBean(ManagedModelRegistry.class).get(name).batcher();
	}

	private static OnnxTensor floats(float[][] values) throws OrtException {
		return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), values);
	}

	private static void await(CountDownLatch latch) {
		try {
			if (!latch.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("Not released within " + BOUND);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void waitFor(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited %s", BOUND).isLessThan(deadline);
			Thread.sleep(5);
		}
	}

}
