package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ModelVersionHasher}: the version loaded at start-up shows its file's
 * SHA-256 from the start, read off the start-up path.
 */
class ModelVersionHasherTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void startUpVersionGetsItsSha256InTheBackgroundOnceTheApplicationIsReady() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("scaled");
				// nothing at start-up needed it: not read on the start-up path
				assertThat(model.version().sha256()).isNull();
				ModelVersion loaded = model.version();
				synchronized (model.versions()) {
					// the hasher records the checksum under this monitor: were it read on
					// the thread that publishes readiness, this would not return
					ModelFiles.publishReady(context);
					assertThat(model.version().sha256()).isNull();
				}
				long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
				while (model.version().sha256() == null && System.nanoTime() < deadline) {
					Thread.sleep(10);
				}
				assertThat(model.version().sha256()).isEqualTo(sha256(location));
				assertThat(model.version().loadedAt()).isEqualTo(loaded.loadedAt());
				assertThat(model.version().location()).isEqualTo(loaded.location());
			});
	}

	@Test
	void versionSwappedInMeanwhileKeepsItsOwnSha256() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("scaled");
				ModelVersion loaded = model.version();
				ModelVersion reloaded = new ModelVersion("abc", loaded.loadedAt(), loaded.location());
				model.versions().swappedIn(reloaded);
				model.versions().hashed(loaded, "def");
				assertThat(model.version()).isSameAs(reloaded);
			});
	}

	private static String sha256(String location) throws Exception {
		byte[] bytes = Files.readAllBytes(Path.of(location.substring("file:".length())));
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
