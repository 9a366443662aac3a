package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.ProviderSeams;
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that bad configuration stops start-up of {@link OnnxAutoConfiguration} with a
 * message naming the model, the property and the fix.
 */
class OnnxBadInputTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void missingModelFileFailsStartup() {
		String location = "file:" + this.models.resolve("nowhere.onnx");
		assertFailure(model(location), "detector", "onnx.models.detector.location", "does not exist",
				"put the model file there");
	}

	@Test
	void missingLocationFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.models.detector.sha256=00")
			.run((context) -> assertThat(StartupFailures.modelException(context))
				.hasMessageContaining("no model location is set")
				.hasMessageContaining("onnx.models.detector.location"));
	}

	@Test
	void truncatedModelFailsStartup() {
		String location = ModelFiles.write(this.models, "cut.onnx", TestModels.truncated(TestModels.detector()));
		assertFailure(model(location), "detector", "onnx.models.detector.location", "may be truncated",
				"complete .onnx file");
	}

	@Test
	void gitLfsPointerInPlaceOfModelFailsStartup() {
		String location = ModelFiles.write(this.models, "lfs.onnx", TestModels.gitLfsPointer());
		assertFailure(model(location), "detector", "onnx.models.detector.location", "is a Git LFS pointer",
				"git lfs pull");
	}

	@Test
	void sha256MismatchFailsStartup() {
		String location = ModelFiles.convNet(this.models);
		String wrong = "0".repeat(64);
		assertFailure(model(location, "onnx.models.detector.sha256=" + wrong), "detector",
				"onnx.models.detector.sha256", "expected " + wrong, "update onnx.models.detector.sha256");
	}

	@Test
	void sha256MatchStarts() throws Exception {
		String location = ModelFiles.convNet(this.models);
		String sha256 = java.util.HexFormat.of()
			.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(TestModels.convNet()));
		this.contextRunner
			.withPropertyValues(model(location, "onnx.models.detector.sha256=" + sha256.toUpperCase(),
					"onnx.models.detector.warmup.enabled=false"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ManagedModelRegistry.class));
	}

	@Test
	void unknownCudnnConvAlgoSearchFailsStartup() {
		this.contextRunner
			.withPropertyValues(
					model(ModelFiles.convNet(this.models), "onnx.models.detector.cuda.cudnn-conv-algo-search=FASTEST"))
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining(
						"Failed to bind properties under 'onnx.models.detector.cuda.cudnn-conv-algo-search'")
				.rootCause()
				.hasMessageContaining("FASTEST"));
	}

	@Test
	void unknownArenaExtendStrategyFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.cuda.arena-extend-strategy=double")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'onnx.cuda.arena-extend-strategy'")
				.rootCause()
				.hasMessageContaining("double"));
	}

	@Test
	void negativeGpuMemLimitFailsStartup() {
		assertFailure(model(ModelFiles.convNet(this.models), "onnx.cuda.gpu-mem-limit=-1GB"), "detector",
				"onnx.cuda.gpu-mem-limit", "must not be negative", "positive size such as 4GB");
	}

	@Test
	void negativeModelGpuMemLimitNamesModelProperty() {
		assertFailure(model(ModelFiles.convNet(this.models), "onnx.models.detector.cuda.gpu-mem-limit=-5MB"),
				"detector", "onnx.models.detector.cuda.gpu-mem-limit", "must not be negative", "4GB");
	}

	@Test
	void negativeDeviceIdFailsStartup() {
		assertFailure(model(ModelFiles.convNet(this.models), "onnx.models.detector.cuda.device-id=-1"), "detector",
				"onnx.models.detector.cuda.device-id", "must not be negative", "0 for the first GPU");
	}

	@Test
	void warmupWhenShapeHasWrongRankFailsStartup() {
		assertFailure(model(ModelFiles.convNet(this.models), "onnx.models.detector.warmup.shapes[0].x=1x3x64"),
				"detector", "onnx.models.detector.warmup.shapes[0].x", "has rank 3 but input 'x' has rank 4",
				"give 4 dimensions");
	}

	@Test
	void warmupWhenDimensionIsNotANumberFailsStartup() {
		assertFailure(model(ModelFiles.convNet(this.models), "onnx.models.detector.warmup.shapes[0].x=1x3xHx64"),
				"detector", "onnx.models.detector.warmup.shapes[0].x", "not all positive whole numbers",
				"such as 1x3x640x640");
	}

	@Test
	void warmupWhenDimensionIsZeroFailsStartup() {
		assertFailure(model(ModelFiles.convNet(this.models), "onnx.models.detector.warmup.shapes[0].x=1x3x0x64"),
				"detector", "onnx.models.detector.warmup.shapes[0].x", "not all positive whole numbers",
				"positive numbers");
	}

	@Test
	void warmupWhenDimensionIsNegativeFailsStartup() {
		assertFailure(
				model(ModelFiles.convNet(this.models), "onnx.models.detector.warmup.shapes[1].x=1x3x-8x64",
						"onnx.models.detector.warmup.shapes[0].x=1x3x8x8"),
				"detector", "onnx.models.detector.warmup.shapes[1].x", "not all positive whole numbers",
				"positive numbers");
	}

	@Test
	void warmupWhenShapeContradictsStaticDimensionFailsStartup() {
		assertFailure(model(ModelFiles.convNet(this.models), "onnx.models.detector.warmup.shapes[0].x=1x4x64x64"),
				"detector", "onnx.models.detector.warmup.shapes[0].x",
				"sets dimension 1 to 4 but input 'x' fixes it at 3 [N, 3, H, W]", "use 3 for dimension 1");
	}

	@Test
	void warmupWhenInputNameIsUnknownFailsStartup() {
		assertFailure(model(ModelFiles.convNet(this.models), "onnx.models.detector.warmup.shapes[0].image=1x3x8x8"),
				"detector", "onnx.models.detector.warmup.shapes[0].image", "the model has no input 'image'",
				"use one of the model's inputs [x]");
	}

	@Test
	void warmupWhenModelIsDynamicAndHasNoShapesFailsStartup() {
		assertFailure(model(ModelFiles.convNet(this.models)), "detector", "onnx.models.detector.warmup.shapes",
				"input 'x' has dynamic dimensions [N, 3, H, W] and no warmup shapes are configured",
				"onnx.models.detector.warmup.enabled=false");
	}

	@Test
	void warmupWhenOtherInputCannotBeInferredFailsStartup() {
		byte[] twoInputs = OnnxModelBuilder.graph("two-inputs")
			.input("a", TensorType.FLOAT, "N", "A")
			.input("b", TensorType.FLOAT, "N", "B")
			.output("a_out", TensorType.FLOAT, "N", "A")
			.output("b_out", TensorType.FLOAT, "N", "B")
			.node("Identity", List.of("a"), List.of("a_out"))
			.node("Identity", List.of("b"), List.of("b_out"))
			.toByteArray();
		String location = ModelFiles.write(this.models, "two.onnx", twoInputs);
		assertFailure(model(location, "onnx.models.detector.warmup.shapes[0].a=2x4"), "detector",
				"onnx.models.detector.warmup.shapes[0].b", "dynamic dimensions [N, B] cannot be inferred",
				"add onnx.models.detector.warmup.shapes[0].b=2x? with each '?' replaced");
	}

	@Test
	void warmupWhenIterationsAreZeroFailsStartup() {
		assertFailure(
				model(ModelFiles.convNet(this.models), "onnx.models.detector.warmup.iterations=0",
						"onnx.models.detector.warmup.shapes[0].x=1x3x8x8"),
				"detector", "onnx.models.detector.warmup.iterations", "at least 1", "1 or more");
	}

	@Test
	void warmupWhenParallelismIsZeroFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.warmup.parallelism=0")
			.run((context) -> assertThat(StartupFailures.modelException(context))
				.hasMessageContaining("[property onnx.warmup.parallelism]")
				.hasMessageContaining("at least 1"));
	}

	@Test
	void cudaFailureWithFallbackFailStopsStartupWithHint() {
		this.contextRunner.withUserConfiguration(ProviderSeams.class)
			.withBean(io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller.class,
					() -> (options, settings) -> {
						throw new ai.onnxruntime.OrtException(
								"Failed to load library libonnxruntime_providers_cuda.so");
					})
			.withPropertyValues(model(ModelFiles.convNet(this.models), "onnx.cuda.enabled=true",
					"onnx.models.detector.warmup.enabled=false"))
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure).hasMessageContaining("ONNX model 'detector'")
					.hasMessageContaining("Failed to load library libonnxruntime_providers_cuda.so")
					.hasMessageContaining("CUDA 12 and cuDNN 9")
					.hasMessageContaining("onnx.cuda.fallback=cpu");
				assertThat(failure.getProperty()).isEqualTo("onnx.cuda.fallback");
			});
	}

	private String[] model(String location, String... more) {
		String[] properties = new String[more.length + 1];
		properties[0] = "onnx.models.detector.location=" + location;
		System.arraycopy(more, 0, properties, 1, more.length);
		return properties;
	}

	private void assertFailure(String[] properties, String model, String property, String problem, String fix) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			OnnxModelException failure = StartupFailures.modelException(context);
			assertThat(failure.getModelName()).isEqualTo(model);
			assertThat(failure.getProperty()).isEqualTo(property);
			assertThat(failure).hasMessageContaining("ONNX model '" + model + "'")
				.hasMessageContaining(problem)
				.hasMessageContaining("[property " + property + "]");
			assertThat(failure.getAction()).contains(fix);
		});
	}

}
