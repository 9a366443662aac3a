package io.github.onnxgpu.boot.internal.session;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.model.BoundTensor;
import io.github.onnxgpu.boot.model.OnnxBinding;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link OnnxBinding}: runs through reused buffers give what
 * {@link DefaultOnnxInference#run} gives.
 */
class OnnxBindingTests {

	@TempDir
	Path models;

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withBean(ObservationRegistry.class, () -> this.observations)
		.withPropertyValues("onnx.cuda.enabled=false", "onnx.warmup.enabled=false");

	@Test
	void convModelThroughBindingGivesTheOutputOfRunAndIsObserved() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				float[] values = ramp(3 * 6 * 5, 1);
				try (OnnxBinding binding = inference.binding("detector", Map.of("x", new long[] { 1, 3, 6, 5 }))) {
					binding.input("x").asFloatBuffer().put(values);
					binding.run();
					// dynamic output, no warmup: ONNX Runtime allocates it
					assertThat(binding.pinnedOutputs()).isEmpty();
					assertThat(binding.output("y").isBound()).isFalse();
					assertThat(binding.output("y").shape()).containsExactly(1, 1, 6, 5);
					assertThat(floats(binding.output("y").asFloatBuffer()))
						.containsExactly(viaRun(context, "detector", values, 1, 3, 6, 5));
				}
				TestObservationRegistryAssert.assertThat(this.observations)
					.hasNumberOfObservationsWithNameEqualTo("onnx.inference", 2)
					.hasObservationWithNameEqualTo("onnx.inference")
					.that()
					.hasLowCardinalityKeyValue("model", "detector")
					.hasLowCardinalityKeyValue("outcome", "success");
			});
	}

	@Test
	void warmedShapePinsEveryOutputAndOtherShapesReturnThem() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=true", "onnx.models.detector.warmup.iterations=1",
					"onnx.models.detector.warmup.shapes[0].x=1x3x8x8")
			.run((context) -> {
				warmUp(context);
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				float[] values = ramp(3 * 8 * 8, 2);
				try (OnnxBinding binding = inference.binding("detector", Map.of("x", new long[] { 1, 3, 8, 8 }))) {
					assertThat(binding.pinnedOutputs()).containsExactly("y");
					binding.input("x").asFloatBuffer().put(values);
					binding.run();
					BoundTensor output = binding.output("y");
					assertThat(output.isBound()).isTrue();
					assertThat(output.asFloatBuffer().isDirect()).isTrue();
					assertThat(floats(output.asFloatBuffer()))
						.containsExactly(viaRun(context, "detector", values, 1, 3, 8, 8));
				}
				try (OnnxBinding binding = inference.binding("detector", Map.of("x", new long[] { 1, 3, 8, 16 }))) {
					assertThat(binding.pinnedOutputs()).isEmpty();
				}
			});
	}

	@Test
	void staticModelPinsItsOutputsAndInfersEveryInput() {
		this.contextRunner
			.withPropertyValues("onnx.models.fixed.location="
					+ ModelFiles.write(this.models, "static.onnx", TestModels.staticConvNet()))
			.run((context) -> {
				float[] values = ramp(3 * 32 * 32, 3);
				try (OnnxBinding binding = context.getBean(DefaultOnnxInference.class).binding("fixed", Map.of())) {
					assertThat(binding.inputShapes().get("x")).containsExactly(1, 3, 32, 32);
					assertThat(binding.pinnedOutputs()).containsExactly("y");
					binding.input("x").asFloatBuffer().put(values);
					binding.run();
					assertThat(floats(binding.output("y").asFloatBuffer()))
						.containsExactly(viaRun(context, "fixed", values, 1, 3, 32, 32));
				}
			});
	}

	@Test
	void int64ModelThroughBindingGivesTheOutputOfRun() {
		this.contextRunner
			.withPropertyValues("onnx.models.embedder.location="
					+ ModelFiles.write(this.models, "embedding.onnx", TestModels.embeddingModel()))
			.run((context) -> {
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				long[] ids = { 3, 14, 15, 92, 65, 35, 89, 79, 32, 38 };
				long[] mask = { 1, 1, 1, 1, 0, 1, 1, 1, 0, 0 };
				// attention_mask [N, L] is inferred from input_ids [N, L]
				try (OnnxBinding binding = inference.binding("embedder", Map.of("input_ids", new long[] { 2, 5 }))) {
					assertThat(binding.inputShapes().get("attention_mask")).containsExactly(2, 5);
					binding.input("input_ids").asLongBuffer().put(ids);
					binding.input("attention_mask").asLongBuffer().put(mask);
					binding.run();
					try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids),
							new long[] { 2, 5 });
							OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask),
									new long[] { 2, 5 });
							Result expected = inference.run("embedder",
									Map.of("input_ids", idsTensor, "attention_mask", maskTensor))) {
						assertThat(floats(binding.output("embedding").asFloatBuffer()))
							.containsExactly(((OnnxTensor) expected.get(0)).getFloatBuffer().array());
					}
				}
			});
	}

	@Test
	void scalarInputIsInferredAndBound() {
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location="
					+ ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar()))
			.run((context) -> {
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				float[] values = ramp(12, 4);
				try (OnnxBinding binding = inference.binding("scaled", Map.of("x", new long[] { 3, 4 }))) {
					assertThat(binding.inputShapes().get("scale")).isEmpty();
					binding.input("x").asFloatBuffer().put(values);
					binding.input("scale").asFloatBuffer().put(2.5f);
					binding.run();
					try (OnnxTensor x = OnnxTensor.createTensor(environment, FloatBuffer.wrap(values),
							new long[] { 3, 4 });
							OnnxTensor scale = OnnxTensor.createTensor(environment, 2.5f);
							Result expected = inference.run("scaled", Map.of("x", x, "scale", scale))) {
						float[] output = floats(binding.output("y").asFloatBuffer());
						assertThat(output).containsExactly(((OnnxTensor) expected.get(0)).getFloatBuffer().array());
						assertThat(output[5]).isEqualTo(values[5] * 2.5f);
					}
				}
			});
	}

	@Test
	void pooledBindingIsReusedAcrossManyRuns() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				long[] shape = { 1, 3, 4, 4 };
				OnnxTensor first;
				try (OnnxBinding binding = inference.binding("detector", Map.of("x", shape))) {
					first = binding.input("x").tensor();
				}
				for (int run = 0; run < 50; run++) {
					float[] values = ramp(48, run);
					try (OnnxBinding binding = inference.binding("detector", Map.of("x", shape.clone()))) {
						assertThat(binding.input("x").tensor()).isSameAs(first);
						binding.input("x").asFloatBuffer().put(values);
						binding.run();
						assertThat(floats(binding.output("y").asFloatBuffer()))
							.containsExactly(viaRun(context, "detector", values, shape));
					}
				}
				assertThat(first.isClosed()).isFalse();
			});
	}

	@Test
	void exhaustedPoolCreatesABindingAndDropsItOnClose() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.binding.pool-size=1")
			.run((context) -> {
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				Map<String, long[]> shape = Map.of("x", new long[] { 1, 3, 4, 4 });
				OnnxBinding one = inference.binding("detector", shape);
				OnnxBinding two = inference.binding("detector", shape);
				OnnxTensor oneTensor = one.input("x").tensor();
				OnnxTensor twoTensor = two.input("x").tensor();
				assertThat(twoTensor).isNotSameAs(oneTensor);
				one.close();
				two.close();
				assertThat(oneTensor.isClosed()).isFalse();
				assertThat(twoTensor.isClosed()).isTrue();
				try (OnnxBinding again = inference.binding("detector", shape)) {
					assertThat(again.input("x").tensor()).isSameAs(oneTensor);
				}
			});
	}

	@Test
	void beyondSixteenShapesTheLeastRecentlyBorrowedShapeIsDropped() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				List<OnnxTensor> tensors = new ArrayList<>();
				for (int width = 1; width <= 17; width++) {
					try (OnnxBinding binding = inference.binding("detector",
							Map.of("x", new long[] { 1, 3, 4, width }))) {
						tensors.add(binding.input("x").tensor());
					}
					if (width == 16) {
						// borrowed again: the first shape is no longer the least recently
						// used
						inference.binding("detector", Map.of("x", new long[] { 1, 3, 4, 1 })).close();
					}
				}
				assertThat(tensors.get(0).isClosed()).isFalse();
				assertThat(tensors.get(1).isClosed()).isTrue();
				assertThat(tensors.subList(2, 17)).noneMatch(OnnxTensor::isClosed);
			});
	}

	@Test
	void bindingsUsedByEightThreadsEachGiveTheSingleThreadedOutput() {
		int threads = 8;
		int runsPerThread = 25;
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				long[] shape = { 1, 3, 6, 6 };
				List<float[]> inputs = new ArrayList<>();
				List<float[]> expected = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					inputs.add(ramp(108, 10 + i));
					expected.add(viaRun(context, "detector", inputs.get(i), shape));
				}
				ExecutorService executor = Executors.newFixedThreadPool(threads);
				try {
					CountDownLatch start = new CountDownLatch(1);
					List<Future<List<float[]>>> results = new ArrayList<>();
					for (int i = 0; i < threads; i++) {
						float[] values = inputs.get(i);
						results.add(executor.submit(() -> {
							start.await();
							List<float[]> outputs = new ArrayList<>();
							for (int run = 0; run < runsPerThread; run++) {
								try (OnnxBinding binding = inference.binding("detector", Map.of("x", shape))) {
									binding.input("x").asFloatBuffer().put(values);
									binding.run();
									outputs.add(floats(binding.output("y").asFloatBuffer()));
								}
							}
							return outputs;
						}));
					}
					start.countDown();
					for (int i = 0; i < threads; i++) {
						float[] reference = expected.get(i);
						assertThat(results.get(i).get(2, TimeUnit.MINUTES)).hasSize(runsPerThread)
							.allSatisfy((output) -> assertThat(output).containsExactly(reference));
					}
				}
				finally {
					executor.shutdownNow();
				}
			});
	}

	@Test
	void wrongViewNamesTheModelTheInputAndItsType() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				try (OnnxBinding binding = context.getBean(DefaultOnnxInference.class)
					.binding("detector", Map.of("x", new long[] { 1, 3, 4, 4 }))) {
					assertThatIllegalStateException().isThrownBy(() -> binding.input("x").asLongBuffer())
						.withMessageContaining("ONNX model 'detector'")
						.withMessageContaining("input 'x' is FLOAT")
						.withMessageContaining("asFloatBuffer()");
				}
			});
	}

	@Test
	void unknownNamesAreRejectedWithTheKnownNames() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				try (OnnxBinding binding = context.getBean(DefaultOnnxInference.class)
					.binding("detector", Map.of("x", new long[] { 1, 3, 4, 4 }))) {
					assertThatIllegalArgumentException().isThrownBy(() -> binding.input("image"))
						.withMessage("ONNX model 'detector' has no input 'image'; its inputs are [x]");
					binding.run();
					assertThatIllegalArgumentException().isThrownBy(() -> binding.output("probability"))
						.withMessage("ONNX model 'detector' has no output 'probability'; its outputs are [y]");
				}
			});
	}

	@Test
	void shapesTheModelCannotTakeAreRejectedAtBinding() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.embedder.location="
							+ ModelFiles.write(this.models, "embedding.onnx", TestModels.embeddingModel()))
			.run((context) -> {
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				assertThatIllegalArgumentException()
					.isThrownBy(() -> inference.binding("detector", Map.of("x", new long[] { 1, 3, 64 })))
					.withMessageContaining("ONNX model 'detector'")
					.withMessageContaining("has rank 3 but input 'x' has rank 4 [N, 3, H, W]")
					.withMessageContaining("Fix: give shapes that fit the inputs {x=[N, 3, H, W]}");
				assertThatIllegalArgumentException()
					.isThrownBy(() -> inference.binding("detector", Map.of("x", new long[] { 1, 4, 8, 8 })))
					.withMessageContaining("sets dimension 1 to 4 but input 'x' fixes it at 3 [N, 3, H, W]");
				assertThatIllegalArgumentException()
					.isThrownBy(() -> inference.binding("detector", Map.of("image", new long[] { 1, 3, 8, 8 })))
					.withMessageContaining("the model has no input 'image'");
				assertThatIllegalArgumentException()
					.isThrownBy(() -> inference.binding("detector", Map.of("x", new long[] { 1, 3, -8, 8 })))
					.withMessageContaining("give positive dimensions");
				assertThatIllegalArgumentException().isThrownBy(() -> inference.binding("embedder", Map.of()))
					.withMessageContaining("ONNX model 'embedder'")
					.withMessageContaining(
							"input 'input_ids' is not given and its dynamic dimensions [N, L] cannot be " + "inferred");
			});
	}

	@Test
	void negativePoolSizeFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.binding.pool-size=-1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("ONNX model 'detector': the binding pool size must not be negative but is -1")
				.hasMessageContaining("[property onnx.models.detector.binding.pool-size]"));
	}

	@Test
	void runOnATensorClosedByTheCallerIsRejectedBeforeOnnxRuntimeSeesIt() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				try (OnnxBinding binding = context.getBean(DefaultOnnxInference.class)
					.binding("detector", Map.of("x", new long[] { 1, 3, 4, 4 }))) {
					binding.input("x").tensor().close();
					assertThatIllegalArgumentException().isThrownBy(binding::run)
						.withMessage("ONNX model 'detector': input 'x' is a closed tensor; create a new tensor for "
								+ "each run or close it only after the run");
				}
			});
	}

	@Test
	void closedBindingCannotBeUsed() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				OnnxBinding binding = context.getBean(DefaultOnnxInference.class)
					.binding("detector", Map.of("x", new long[] { 1, 3, 4, 4 }));
				binding.close();
				assertThatIllegalStateException().isThrownBy(binding::run).withMessageContaining("is closed");
				assertThatIllegalStateException().isThrownBy(() -> binding.input("x"))
					.withMessageContaining("is closed");
			});
	}

	@Test
	void shutdownWhileBindingsAreBorrowedClosesTheirTensorsWhenGivenBack() {
		this.contextRunner.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				Map<String, long[]> shape = Map.of("x", new long[] { 1, 3, 4, 4 });
				OnnxBinding idle = inference.binding("detector", shape);
				OnnxTensor idleTensor = idle.input("x").tensor();
				idle.close();
				OnnxBinding borrowed = inference.binding("detector", Map.of("x", new long[] { 1, 3, 8, 8 }));
				borrowed.run();
				OnnxTensor borrowedTensor = borrowed.input("x").tensor();
				context.close();
				assertThat(idleTensor.isClosed()).isTrue();
				// still borrowed: its memory stays valid until its user gives it back
				assertThat(borrowedTensor.isClosed()).isFalse();
				assertThatIllegalStateException().isThrownBy(borrowed::run).withMessageContaining("is closed");
				borrowed.close();
				assertThat(borrowedTensor.isClosed()).isTrue();
				assertThatIllegalStateException().isThrownBy(() -> inference.binding("detector", shape))
					.withMessageContaining("is closed");
			});
	}

	@Test
	void outputsWhoseShapeDependsOnValuesStopBeingPinnedWhenTheWarmupRecordDoesNotFit() {
		this.contextRunner
			.withPropertyValues(
					"onnx.models.nonzero.location="
							+ ModelFiles.write(this.models, "nonzero.onnx", TestModels.nonZeroIndices()),
					"onnx.models.nonzero.warmup.enabled=true", "onnx.models.nonzero.warmup.iterations=1",
					"onnx.models.nonzero.warmup.shapes[0].x=1x4")
			.run((context) -> {
				warmUp(context);
				DefaultOnnxInference inference = context.getBean(DefaultOnnxInference.class);
				Map<String, long[]> shape = Map.of("x", new long[] { 1, 4 });
				try (OnnxBinding binding = inference.binding("nonzero", shape)) {
					// the zeros of the warmup gave no index: [2, 0]
					assertThat(binding.pinnedOutputs()).containsExactly("indices");
					binding.input("x").asFloatBuffer().put(new float[] { 0, 1, 0, 2 });
					binding.run();
					assertThat(binding.pinnedOutputs()).isEmpty();
					assertThat(binding.output("indices").shape()).containsExactly(2, 2);
					LongBuffer indices = binding.output("indices").asLongBuffer();
					assertThat(new long[] { indices.get(0), indices.get(1), indices.get(2), indices.get(3) })
						.containsExactly(0, 0, 1, 3);
				}
				try (OnnxBinding binding = inference.binding("nonzero", shape)) {
					assertThat(binding.pinnedOutputs()).isEmpty();
				}
			});
	}

	private static void warmUp(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		ModelFiles.publishReady(context.getSourceApplicationContext());
	}

	private static float[] viaRun(AssertableApplicationContext context, String model, float[] values, long... shape)
			throws OrtException {
		try (OnnxTensor input = OnnxTensor.createTensor(context.getBean(OrtEnvironment.class), FloatBuffer.wrap(values),
				shape); Result result = context.getBean(DefaultOnnxInference.class).run(model, Map.of("x", input))) {
			return ((OnnxTensor) result.get(0)).getFloatBuffer().array();
		}
	}

	private static float[] floats(FloatBuffer buffer) {
		float[] values = new float[buffer.remaining()];
		buffer.get(values);
		return values;
	}

	private static float[] ramp(int size, int seed) {
		float[] values = new float[size];
		for (int i = 0; i < size; i++) {
			values[i] = ((i * 31 + seed * 17) % 23) / 23f - 0.5f;
		}
		return values;
	}

}
