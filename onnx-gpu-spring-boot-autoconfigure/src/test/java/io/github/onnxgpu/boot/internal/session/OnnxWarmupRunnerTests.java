package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OnnxWarmupRunner}: real warmups of generated models on the CPU.
 */
class OnnxWarmupRunnerTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void warmupRunsEveryShapeForTheConfiguredIterations() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.iterations=4", "onnx.models.detector.warmup.max-iterations=4",
					"onnx.models.detector.warmup.shapes[0].x=1x3x32x32",
					"onnx.models.detector.warmup.shapes[1].x=2x3x48x64")
			.run((context) -> {
				ManagedModel model = warmedUp(context, "detector");
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
				WarmupResult result = model.warmupResult();
				assertThat(result.succeeded()).isTrue();
				assertThat(result.samples()).extracting((timings) -> timings.shape().dimensions().get("x"))
					.containsExactly(new long[] { 1, 3, 32, 32 }, new long[] { 2, 3, 48, 64 });
				assertThat(result.samples()).allSatisfy((sample) -> {
					assertThat(sample.iterations()).hasSize(4).allSatisfy((d) -> assertThat(d).isPositive());
					assertThat(sample.first()).isEqualTo(sample.iterations().get(0));
					assertThat(sample.last()).isEqualTo(sample.iterations().get(3));
				});
				assertThat(result.duration()).isGreaterThanOrEqualTo(result.samples().get(0).first());
			});
	}

	@Test
	void warmupUsesSharedIterationsUnlessModelOverrides() {
		this.contextRunner.withPropertyValues("onnx.warmup.iterations=2", "onnx.warmup.max-iterations=2",
				"onnx.models.a.location=" + ModelFiles.convNet(this.models), "onnx.models.a.warmup.shapes[0].x=1x3x8x8",
				"onnx.models.b.location=" + ModelFiles.convNet(this.models), "onnx.models.b.warmup.shapes[0].x=1x3x8x8",
				"onnx.models.b.warmup.iterations=5")
			.run((context) -> {
				assertThat(warmedUp(context, "a").warmupResult().samples().get(0).iterations()).hasSize(2);
				assertThat(warmedUp(context, "b").warmupResult().samples().get(0).iterations()).hasSize(5);
			});
	}

	@Test
	void warmupFillsInt64InputsAndInfersTheOtherInputFromSharedDimensionNames() {
		String location = ModelFiles.write(this.models, "embedding.onnx", TestModels.embeddingModel());
		this.contextRunner
			.withPropertyValues("onnx.models.embedder.location=" + location, "onnx.models.embedder.warmup.data=random",
					"onnx.models.embedder.warmup.shapes[0].input_ids=2x16",
					"onnx.models.embedder.warmup.shapes[1].input_ids=1x128")
			.run((context) -> {
				ManagedModel model = warmedUp(context, "embedder");
				assertThat(model.warmupResult().error()).isNull();
				assertThat(model.warmupResult().samples()).extracting((timings) -> timings.shape().toString())
					.containsExactly("{input_ids=2x16, attention_mask=2x16}",
							"{input_ids=1x128, attention_mask=1x128}");
			});
	}

	@Test
	void warmupCoversEveryElementType() {
		String location = ModelFiles.write(this.models, "all-types.onnx", TestModels.allTypes());
		for (String data : List.of("zeros", "random")) {
			this.contextRunner
				.withPropertyValues("onnx.models.all.location=" + location, "onnx.models.all.warmup.data=" + data,
						"onnx.models.all.warmup.iterations=1", "onnx.models.all.warmup.shapes[0].in_float=3x4")
				.run((context) -> {
					ManagedModel model = warmedUp(context, "all");
					assertThat(model.warmupResult().error()).isNull();
					assertThat(model.warmupResult().samples().get(0).shape().dimensions()).hasSize(9)
						.allSatisfy((input, dims) -> assertThat(dims).containsExactly(3, 4));
				});
		}
	}

	@Test
	void staticModelIsWarmedWithoutShapes() {
		String location = ModelFiles.write(this.models, "static.onnx", TestModels.staticConvNet());
		this.contextRunner.withPropertyValues("onnx.models.fixed.location=" + location).run((context) -> {
			ManagedModel model = warmedUp(context, "fixed");
			assertThat(model.status()).isEqualTo(ModelStatus.READY);
			assertThat(model.warmupResult().samples()).singleElement()
				.satisfies(
						(timings) -> assertThat(timings.shape().dimensions().get("x")).containsExactly(1, 3, 32, 32));
		});
	}

	@Test
	void warmupDisabledLeavesModelNotWarmed() {
		this.contextRunner
			.withPropertyValues("onnx.warmup.enabled=false",
					"onnx.models.detector.location=" + ModelFiles.convNet(this.models))
			.run((context) -> {
				ManagedModel model = warmedUp(context, "detector");
				assertThat(model.status()).isEqualTo(ModelStatus.NOT_WARMED);
				assertThat(model.warmupResult()).isNull();
			});
	}

	@Test
	void warmupWhenTimedOutWithFailActionFailsStartupNamingModelAndShape() {
		String location = ModelFiles.write(this.models, "detector.onnx", TestModels.detector());
		this.contextRunner
			.withPropertyValues("onnx.models.slow.location=" + location, "onnx.models.slow.warmup.timeout=1ms",
					"onnx.models.slow.warmup.iterations=50", "onnx.models.slow.warmup.shapes[0].image=1x3x256x256")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThatExceptionOfType(OnnxModelException.class).isThrownBy(() -> ModelFiles.publishReady(context))
					.satisfies((ex) -> {
						assertThat(ex.getModelName()).isEqualTo("slow");
						assertThat(ex)
							.hasMessageContaining("sample 0 {image=1x3x256x256} failed: timed out after PT0.001S");
						assertThat(ex.getAction()).contains("onnx.models.slow.warmup.on-failure=mark-down");
					});
				assertThat(context.getBean(ManagedModelRegistry.class).get("slow").status())
					.isEqualTo(ModelStatus.FAILED);
			});
	}

	@Test
	void warmupFailureWithMarkDownKeepsOtherModelsAndMarksModelFailed() {
		String slow = ModelFiles.write(this.models, "detector.onnx", TestModels.detector());
		this.contextRunner
			.withPropertyValues("onnx.models.slow.location=" + slow, "onnx.models.slow.warmup.timeout=1ms",
					"onnx.models.slow.warmup.on-failure=mark-down", "onnx.models.slow.warmup.iterations=50",
					"onnx.models.slow.warmup.shapes[0].image=1x3x256x256",
					"onnx.models.fast.location=" + ModelFiles.convNet(this.models),
					"onnx.models.fast.warmup.shapes[0].x=1x3x8x8")
			.run((context) -> {
				ModelFiles.publishReady(context);
				ManagedModelRegistry registry = context.getBean(ManagedModelRegistry.class);
				assertThat(registry.get("slow").status()).isEqualTo(ModelStatus.FAILED);
				assertThat(registry.get("slow").warmupResult().error()).contains("timed out");
				assertThat(registry.get("fast").status()).isEqualTo(ModelStatus.READY);
			});
	}

	@Test
	void withParallelismOneModelsWarmOneAfterAnother() {
		String location = ModelFiles.write(this.models, "detector.onnx", TestModels.detector());
		this.contextRunner.withPropertyValues(twoModels(location, 1)).run((context) -> {
			WarmupResult a = warmedUp(context, "a").warmupResult();
			WarmupResult b = warmedUp(context, "b").warmupResult();
			assertThat(b.startedAt()).isAfterOrEqualTo(a.finishedAt());
		});
	}

	@Test
	void withParallelismTwoModelsWarmAtOnce() {
		String location = ModelFiles.write(this.models, "detector.onnx", TestModels.detector());
		// each warmup runs until its timeout, so the two overlap unless a warmup thread
		// waits
		// seconds to start, even when other processes keep both cores busy
		this.contextRunner.withPropertyValues(twoModels(location, 2))
			.withPropertyValues("onnx.warmup.iterations=1000000", "onnx.warmup.timeout=3s",
					"onnx.warmup.on-failure=mark-down", "onnx.models.a.session.intra-op-threads=1",
					"onnx.models.b.session.intra-op-threads=1", "onnx.models.a.warmup.shapes[0].image=1x3x16x16",
					"onnx.models.b.warmup.shapes[0].image=1x3x16x16")
			.run((context) -> {
				WarmupResult a = warmedUp(context, "a").warmupResult();
				WarmupResult b = warmedUp(context, "b").warmupResult();
				assertThat(a.error()).contains("timed out");
				assertThat(b.error()).contains("timed out");
				assertThat(b.startedAt()).isBefore(a.finishedAt());
				assertThat(a.startedAt()).isBefore(b.finishedAt());
			});
	}

	@Test
	void closingTheContextClosesSessions() {
		ManagedModel[] model = new ManagedModel[1];
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.shapes[0].x=1x3x8x8")
			.run((context) -> model[0] = warmedUp(context, "detector"));
		assertThat(model[0].isClosed()).isTrue();
	}

	private static String[] twoModels(String location, int parallelism) {
		return new String[] { "onnx.warmup.parallelism=" + parallelism, "onnx.warmup.iterations=3",
				"onnx.models.a.location=" + location, "onnx.models.a.warmup.shapes[0].image=1x3x256x256",
				"onnx.models.b.location=" + location, "onnx.models.b.warmup.shapes[0].image=1x3x256x256" };
	}

	private static ManagedModel warmedUp(AssertableApplicationContext context, String name) {
		assertThat(context).hasNotFailed();
		ManagedModelRegistry registry = context.getBean(ManagedModelRegistry.class);
		if (registry.models().stream().anyMatch((model) -> model.status() == ModelStatus.LOADING)) {
			ModelFiles.publishReady(context.getSourceApplicationContext());
		}
		return registry.get(name);
	}

}
