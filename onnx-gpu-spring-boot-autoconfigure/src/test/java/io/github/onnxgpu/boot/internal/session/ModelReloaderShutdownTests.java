package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.onnxgpu.boot.autoconfigure.reload.OnnxReloadAutoConfiguration;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ModelReloader} at shutdown: a polled reload whose new version is
 * warming when the application stops (the poller's thread interrupted) closes what it
 * built and reports no runs in flight, as there are none.
 */
@ExtendWith(OutputCaptureExtension.class)
class ModelReloaderShutdownTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly()
		.withConfiguration(AutoConfigurations.of(OnnxReloadAutoConfiguration.class));

	@Test
	void shutdownDuringThePolledReloadsWarmupClosesTheNewVersion(CapturedOutput output) {
		Path file = this.models.resolve("m.onnx");
		ModelReloaderTests.write(file, ModelReloaderTests.times(1));
		// a warmup long enough to be stopped in the middle
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=file:" + file, "onnx.models.m.warmup.shapes[0].x=1x4",
					"onnx.models.m.reload.poll=50ms", "onnx.warmup.iterations=100000000",
					"onnx.warmup.max-iterations=100000000", "onnx.warmup.timeout=3s",
					"onnx.warmup.on-failure=mark-down")
			.run((context) -> {
				// the start-up warmup runs for its whole timeout, so will the new
				// version's
				ModelFiles.publishReady(context);
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				assertThat(model.status()).isEqualTo(ModelStatus.FAILED);
				ModelReloader reloader = context.getBean(ModelReloader.class);
				ModelReloaderTests.write(file, ModelReloaderTests.times(2));
				ManagedModel staged = null;
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				while (staged == null && System.nanoTime() < deadline) {
					staged = reloader.staging()
						.stream()
						.filter((version) -> version.status() == ModelStatus.WARMING)
						.findFirst()
						.orElse(null);
					Thread.sleep(5);
				}
				assertThat(staged).as("the new version warming").isNotNull();
				// as the context does at shutdown: the poller's thread is interrupted
				reloader.stop();
				assertThat(staged.isClosed()).as("the new version's sessions closed").isTrue();
				assertThat(model.reloads().failed()).isEqualTo(1);
				assertThat(model.reloads().last().reason()).isEqualTo("the application is shutting down");
				assertThat(output).doesNotContain("still has runs in flight");
				assertThat(model.isClosed()).isFalse();
			});
	}

}
