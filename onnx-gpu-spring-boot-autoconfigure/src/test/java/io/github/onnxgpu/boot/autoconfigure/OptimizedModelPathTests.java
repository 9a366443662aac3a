package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OptimizedModelPathCheck}: ONNX Runtime never writes its optimized
 * graph over a file the configuration names as input, whatever path leads to it, nor into
 * a place that is not the application's. Without the check, ONNX Runtime rewrites the
 * model file with CPU-specific operators and start-up succeeds.
 */
class OptimizedModelPathTests {

	private static final String PROPERTY = "onnx.models.detector.session.optimized-model-path";

	@TempDir
	Path folder;

	private Path model;

	private byte[] original;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly()
		.withPropertyValues("onnx.models.detector.warmup.enabled=false");

	@BeforeEach
	void writeModel() throws IOException {
		this.original = TestModels.convNet();
		this.model = Files.write(this.folder.resolve("det.onnx"), this.original);
	}

	@Test
	void optimizedPathEqualToTheModelIsRefusedAndTheModelKept() throws IOException {
		assertRefused(this.model, "over the model file of 'detector' " + this.model);
	}

	@Test
	void optimizedPathLinkingToTheModelIsRefusedAndTheModelKept() throws IOException {
		Path link = Files.createSymbolicLink(this.folder.resolve("link.onnx"), this.model);
		assertRefused(link, "(" + link + " leads to it)");
	}

	@Test
	void optimizedPathThatIsAHardLinkOfTheModelIsRefusedAndTheModelKept() throws IOException {
		Path hardLink = Files.createLink(this.folder.resolve("hard.onnx"), this.model);
		assertRefused(hardLink, "over the model file of 'detector'");
		assertThat(hardLink).hasBinaryContent(this.original);
	}

	@Test
	void optimizedPathEqualToAWarmupRequestBodyIsRefused() throws IOException {
		Path body = Files.writeString(this.folder.resolve("body.json"), "{}");
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=file:" + this.model, PROPERTY + "=" + body,
					"onnx.warmup.requests[0].path=/predict", "onnx.warmup.requests[0].body=file:" + body)
			.run((context) -> assertThat(StartupFailures.modelException(context).getMessage())
				.contains("over the body of warm-up request 0 " + body));
		assertThat(body).hasContent("{}");
	}

	@Test
	void optimizedPathInsideTheTuningCacheIsRefused() {
		Path cache = this.folder.resolve("tuning-cache");
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=file:" + this.model,
					"onnx.models.detector.warmup.enabled=true", "onnx.models.detector.warmup.shapes[0].x=1x3x8x8",
					"onnx.models.detector.tuning.enabled=true", "onnx.models.detector.tuning.cache.directory=" + cache,
					PROPERTY + "=" + cache.resolve("o.onnx"))
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getProperty()).isEqualTo(PROPERTY);
				assertThat(ex.getMessage()).contains("would be written into the tuning cache " + cache);
			});
	}

	@Test
	void optimizedPathInASystemFolderIsRefused() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=file:" + this.model, PROPERTY + "=/etc/detector.onnx")
			.run((context) -> assertThat(StartupFailures.modelException(context).getMessage())
				.contains("would be written into the system folder /etc"));
	}

	@Test
	void optimizedPathOfATuningCandidateEqualToTheModelIsRefused() throws IOException {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=file:" + this.model,
					"onnx.models.detector.warmup.enabled=true", "onnx.models.detector.warmup.shapes[0].x=1x3x8x8",
					"onnx.models.detector.tuning.enabled=true", "onnx.models.detector.tuning.cache.enabled=false",
					"onnx.models.detector.tuning.candidates[0].session.optimized-model-path=" + this.model)
			.run((context) -> assertThat(StartupFailures.modelException(context).getProperty())
				.isEqualTo("onnx.models.detector.tuning.candidates[0].session.optimized-model-path"));
		assertThat(this.model).hasBinaryContent(this.original);
	}

	@Test
	void optimizedPathOfItsOwnIsWritten() {
		Path optimized = this.folder.resolve("optimized.onnx");
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=file:" + this.model, PROPERTY + "=" + optimized)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(optimized).exists();
			});
	}

	private void assertRefused(Path optimized, String expected) throws IOException {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=file:" + this.model, PROPERTY + "=" + optimized)
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getModelName()).isEqualTo("detector");
				assertThat(ex.getProperty()).isEqualTo(PROPERTY);
				assertThat(ex.getMessage()).contains("the optimized model would be written", expected);
				assertThat(ex.getAction()).contains("a new file of its own");
			});
		assertThat(this.model).hasBinaryContent(this.original);
		assertThat(Files.readAllBytes(this.model)).isEqualTo(this.original);
	}

}
