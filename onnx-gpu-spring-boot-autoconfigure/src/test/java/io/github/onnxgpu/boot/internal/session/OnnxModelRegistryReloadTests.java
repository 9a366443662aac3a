package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import io.github.onnxgpu.boot.autoconfigure.reload.OnnxReloadAutoConfiguration;
import io.github.onnxgpu.boot.model.ModelWarmup;
import io.github.onnxgpu.boot.model.OnnxModel;
import io.github.onnxgpu.boot.model.OnnxModelRegistry;
import io.github.onnxgpu.boot.model.OnnxModelReloadedEvent;
import io.github.onnxgpu.boot.model.ReloadAttempt;
import io.github.onnxgpu.boot.model.ReloadOutcome;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the public API of reloads and warmups: {@link OnnxModelRegistry#reload},
 * {@link OnnxModelReloadedEvent} and {@link OnnxModel#warmup()}.
 */
class OnnxModelRegistryReloadTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly()
		.withConfiguration(AutoConfigurations.of(OnnxReloadAutoConfiguration.class));

	@Test
	void reloadFromCodeSwapsTheNewVersionInAndPublishesWhatItDid() {
		Path file = this.models.resolve("m.onnx");
		ModelReloaderTests.write(file, ModelReloaderTests.times(1));
		this.contextRunner.withBean(Reloads.class, Reloads::new)
			.withPropertyValues("onnx.models.m.location=file:" + file, "onnx.models.m.warmup.shapes[0].x=1x4",
					"onnx.warmup.iterations=3")
			.run((context) -> {
				OnnxModelRegistry registry = context.getBean(OnnxModelRegistry.class);
				OnnxModel model = registry.get("m");
				assertThat(model.warmup()).isNull();
				ModelFiles.publishReady(context);
				ModelWarmup startUp = model.warmup();
				assertThat(startUp).isNotNull();
				assertThat(startUp.succeeded()).isTrue();
				assertThat(startUp.shapes()).isEqualTo(1);
				ModelReloaderTests.write(file, ModelReloaderTests.times(2));
				ReloadAttempt attempt = registry.reload("m");
				assertThat(attempt.outcome()).isEqualTo(ReloadOutcome.SWAPPED);
				assertThat(attempt.trigger()).isEqualTo("api");
				assertThat(attempt.sha256()).isEqualTo(ModelReloaderTests.sha256(ModelReloaderTests.times(2)));
				assertThat(model.warmup()).isNotNull().isNotEqualTo(startUp);
				List<OnnxModelReloadedEvent> events = context.getBean(Reloads.class).events;
				assertThat(events).singleElement().satisfies((event) -> {
					assertThat(event.getModel()).isEqualTo("m");
					assertThat(event.getAttempt()).isEqualTo(attempt);
				});
				ModelReloaderTests.write(file, new byte[] { 1, 2, 3 });
				ReloadAttempt refused = registry.reload("m");
				assertThat(refused.outcome()).isEqualTo(ReloadOutcome.FAILED);
				assertThat(refused.reason()).isNotBlank();
				assertThat(events).hasSize(2).last().extracting(OnnxModelReloadedEvent::getAttempt).isEqualTo(refused);
				assertThatExceptionOfType(NoSuchElementException.class).isThrownBy(() -> registry.reload("other"));
			});
	}

	static final class Reloads implements ApplicationListener<OnnxModelReloadedEvent> {

		final List<OnnxModelReloadedEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(OnnxModelReloadedEvent event) {
			this.events.add(event);
		}

	}

}
