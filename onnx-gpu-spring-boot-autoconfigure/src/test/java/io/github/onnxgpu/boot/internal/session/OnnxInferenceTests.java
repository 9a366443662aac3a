package io.github.onnxgpu.boot.internal.session;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.observation.InferenceContext;
import io.github.onnxgpu.boot.observation.InferenceObservationConvention;
import io.github.onnxgpu.boot.test.ModelFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DefaultOnnxInference}.
 */
class OnnxInferenceTests {

	@TempDir
	Path models;

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withBean(ObservationRegistry.class, () -> this.observations)
		.withPropertyValues("onnx.cuda.enabled=false", "onnx.warmup.enabled=false");

	@Test
	void runComputesTheSameOutputAsTheSessionAndIsObserved() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				try (OnnxTensor input = OnnxTensor.createTensor(environment, ramp(1 * 3 * 6 * 5),
						new long[] { 1, 3, 6, 5 });
						Result viaInference = context.getBean(DefaultOnnxInference.class)
							.run("detector", Map.of("x", input));
						Result viaSession = model.session().run(Map.of("x", input))) {
					assertThat(((OnnxTensor) viaInference.get("y").get()).getFloatBuffer().array())
						.containsExactly(((OnnxTensor) viaSession.get("y").get()).getFloatBuffer().array());
				}
				TestObservationRegistryAssert.assertThat(this.observations)
					.hasNumberOfObservationsWithNameEqualTo("onnx.inference", 1)
					.hasObservationWithNameEqualTo("onnx.inference")
					.that()
					.hasContextualNameEqualTo("onnx inference detector")
					.hasLowCardinalityKeyValue("model", "detector")
					.hasLowCardinalityKeyValue("provider", "CPU")
					.hasLowCardinalityKeyValue("outcome", "success")
					.hasBeenStarted()
					.hasBeenStopped()
					.doesNotHaveError();
			});
	}

	@Test
	void pinnedOutputIsWrittenIntoTheCallersBufferAndOutlivesTheResult() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				FloatBuffer pinned = ByteBuffer.allocateDirect(30 * Float.BYTES)
					.order(ByteOrder.nativeOrder())
					.asFloatBuffer();
				try (OnnxTensor input = OnnxTensor.createTensor(environment, ramp(90), new long[] { 1, 3, 6, 5 });
						OnnxTensor output = OnnxTensor.createTensor(environment, pinned, new long[] { 1, 1, 6, 5 });
						Result expected = model.session().run(Map.of("x", input))) {
					context.getBean(DefaultOnnxInference.class)
						.run("detector", Map.of("x", input), null, Map.of("y", output))
						.close();
					float[] written = new float[30];
					pinned.get(0, written);
					assertThat(written).containsExactly(((OnnxTensor) expected.get(0)).getFloatBuffer().array());
					// closing the result left the caller's tensor usable
					assertThat(output.getFloatBuffer().get(29)).isEqualTo(written[29]);
				}
			});
	}

	@Test
	void failedRunIsObservedAsAnErrorAndRethrown() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				try (OnnxTensor input = OnnxTensor.createTensor(environment, new float[1][3][4][4])) {
					assertThatExceptionOfType(OrtException.class)
						.isThrownBy(() -> context.getBean(DefaultOnnxInference.class)
							.run("detector", Map.of("x", input), Set.of("no_such_output")));
				}
				TestObservationRegistryAssert.assertThat(this.observations)
					.hasObservationWithNameEqualTo("onnx.inference")
					.that()
					.hasLowCardinalityKeyValue("outcome", "error")
					.hasBeenStopped()
					.assertThatError()
					.isInstanceOf(OrtException.class);
			});
	}

	@Test
	void userConventionReplacesTheDefault() {
		InferenceObservationConvention convention = new InferenceObservationConvention() {

			@Override
			public String getName() {
				return "my.inference";
			}

			@Override
			public KeyValues getLowCardinalityKeyValues(InferenceContext context) {
				return KeyValues.of("net", context.getModelName());
			}

		};
		this.contextRunner.withBean(InferenceObservationConvention.class, () -> convention)
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				try (OnnxTensor input = OnnxTensor.createTensor(context.getBean(OrtEnvironment.class),
						new float[1][3][4][4])) {
					context.getBean(DefaultOnnxInference.class).run("detector", Map.of("x", input)).close();
				}
				TestObservationRegistryAssert.assertThat(this.observations)
					.doesNotHaveAnyRemainingCurrentObservation()
					.hasObservationWithNameEqualTo("my.inference")
					.that()
					.hasLowCardinalityKeyValue("net", "detector")
					.doesNotHaveLowCardinalityKeyValueWithKey("outcome");
			});
	}

	@Test
	void runWithoutObservationRegistryIsNotObserved() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withPropertyValues("onnx.cuda.enabled=false", "onnx.warmup.enabled=false",
					"onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				try (OnnxTensor input = OnnxTensor.createTensor(context.getBean(OrtEnvironment.class),
						new float[1][3][4][4]);
						Result result = context.getBean(DefaultOnnxInference.class)
							.run("detector", Map.of("x", input))) {
					assertThat(result.size()).isEqualTo(1);
				}
				TestObservationRegistryAssert.assertThat(this.observations).doesNotHaveAnyObservation();
			});
	}

	@Test
	void concurrentRunsWithDifferentInputsEachGiveTheSingleThreadedOutput() {
		int threads = 16;
		int runsPerThread = 20;
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				List<OnnxTensor> inputs = new ArrayList<>();
				List<float[]> expected = new ArrayList<>();
				ExecutorService executor = Executors.newFixedThreadPool(threads);
				try {
					for (int i = 0; i < threads; i++) {
						// a shape and values of its own per thread
						long[] shape = { 1, 3, 4 + i % 4, 5 + i / 4 };
						int size = (int) (3 * shape[2] * shape[3]);
						inputs.add(OnnxTensor.createTensor(environment, ramp(size, i), shape));
						expected.add(output(inference, inputs.get(i)));
					}
					CountDownLatch start = new CountDownLatch(1);
					List<Future<List<float[]>>> results = new ArrayList<>();
					for (int i = 0; i < threads; i++) {
						OnnxTensor input = inputs.get(i);
						results.add(executor.submit(() -> {
							start.await();
							List<float[]> outputs = new ArrayList<>();
							for (int run = 0; run < runsPerThread; run++) {
								outputs.add(output(inference, input));
							}
							return outputs;
						}));
					}
					start.countDown();
					for (int i = 0; i < threads; i++) {
						List<float[]> outputs = results.get(i).get(5, TimeUnit.MINUTES);
						assertThat(outputs).hasSize(runsPerThread);
						for (float[] output : outputs) {
							assertThat(output).as("thread %d", i).containsExactly(expected.get(i));
						}
					}
				}
				finally {
					executor.shutdownNow();
					inputs.forEach(OnnxTensor::close);
				}
				TestObservationRegistryAssert.assertThat(this.observations)
					.hasNumberOfObservationsWithNameEqualTo("onnx.inference", threads + threads * runsPerThread)
					.forAllObservationsWithNameEqualTo("onnx.inference",
							(observation) -> observation.hasLowCardinalityKeyValue("model", "detector")
								.hasLowCardinalityKeyValue("outcome", "success"));
			});
	}

	private static float[] output(DefaultOnnxInference inference, OnnxTensor input) throws OrtException {
		try (Result result = inference.run("detector", Map.of("x", input))) {
			return ((OnnxTensor) result.get("y").get()).getFloatBuffer().array();
		}
	}

	@Test
	void runWhenInputIsClosedIsRejectedBeforeOnnxRuntimeSeesIt() {
		// without the guard ONNX Runtime dereferences the freed tensor and the JVM dies
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				OnnxTensor input = OnnxTensor.createTensor(environment, ramp(90), new long[] { 1, 3, 6, 5 });
				input.close();
				assertThatExceptionOfType(IllegalArgumentException.class)
					.isThrownBy(() -> context.getBean(DefaultOnnxInference.class).run("detector", Map.of("x", input)))
					.withMessageContaining("ONNX model 'detector'")
					.withMessageContaining("input 'x' is a closed tensor");
				TestObservationRegistryAssert.assertThat(this.observations).doesNotHaveAnyObservation();
			});
	}

	@Test
	void runWhenPinnedOutputIsClosedIsRejectedBeforeOnnxRuntimeSeesIt() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				FloatBuffer pinned = ByteBuffer.allocateDirect(30 * Float.BYTES)
					.order(ByteOrder.nativeOrder())
					.asFloatBuffer();
				OnnxTensor output = OnnxTensor.createTensor(environment, pinned, new long[] { 1, 1, 6, 5 });
				output.close();
				try (OnnxTensor input = OnnxTensor.createTensor(environment, ramp(90), new long[] { 1, 3, 6, 5 })) {
					assertThatExceptionOfType(IllegalArgumentException.class)
						.isThrownBy(() -> context.getBean(DefaultOnnxInference.class)
							.run("detector", Map.of("x", input), null, Map.of("y", output)))
						.withMessageContaining("ONNX model 'detector'")
						.withMessageContaining("pinned output 'y' is a closed tensor");
					// the model still serves open tensors afterwards
					context.getBean(DefaultOnnxInference.class).run("detector", Map.of("x", input)).close();
				}
			});
	}

	@Test
	void unknownModelIsNamedWithTheKnownOnes() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> assertThatExceptionOfType(NoSuchElementException.class)
				.isThrownBy(() -> context.getBean(DefaultOnnxInference.class).run("detektor", Map.of()))
				.withMessage("No ONNX model 'detektor'; known models are [detector]"));
	}

	private static FloatBuffer ramp(int size) {
		return ramp(size, 0);
	}

	private static FloatBuffer ramp(int size, int seed) {
		FloatBuffer buffer = FloatBuffer.allocate(size);
		for (int i = 0; i < size; i++) {
			buffer.put(((i * (seed + 1)) % size) / (float) size - 0.5f * (seed % 2));
		}
		return buffer.rewind();
	}

}
