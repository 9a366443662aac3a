package io.github.onnxgpu.boot.autoconfigure.health;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import ai.onnxruntime.OrtSession.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OnnxHealthContributorAutoConfiguration}.
 */
class OnnxHealthContributorAutoConfigurationTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class,
				OnnxHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class))
		.withPropertyValues("onnx.cuda.enabled=false");

	@Test
	void modelsAreOutOfServiceUntilWarmThenUp() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.shapes[0].x=1x3x16x16")
			.run((context) -> {
				assertThat(health(context, "detector").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				ModelFiles.publishReady(context.getSourceApplicationContext());
				Health health = health(context, "detector");
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("provider", ai.onnxruntime.OrtProvider.CPU)
					.containsKey("warmupMillis")
					.doesNotContainKey("tuning");
			});
	}

	@Test
	void tunedModelIsOutOfServiceWhileTuningThenUpWithWhereItsSettingsCameFrom(@TempDir Path cache) {
		this.contextRunner.withBean(HealthWhileTuning.class, HealthWhileTuning::new)
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.shapes[0].x=1x3x16x16", "onnx.models.detector.tuning.enabled=true",
					"onnx.models.detector.tuning.runs=5", "onnx.models.detector.tuning.cache.directory=" + cache,
					"onnx.models.detector.tuning.candidates[0].session.intra-op-threads=1",
					"onnx.models.detector.tuning.candidates[1].session.intra-op-threads=2")
			.run((context) -> {
				Health pending = health(context, "detector");
				assertThat(pending.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(pending.getDetails()).containsEntry("tuning", TuningStatus.PENDING);
				ModelFiles.publishReady(context.getSourceApplicationContext());
				// asked while tuning created each candidate's session: the second after
				// the first was warmed and measured
				List<Health> whileTuning = context.getBean(HealthWhileTuning.class).seen;
				assertThat(whileTuning).hasSize(2).allSatisfy((health) -> {
					assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
					assertThat(health.getDetails()).containsEntry("tuning", TuningStatus.PENDING);
				});
				assertThat(whileTuning.get(1).getDetails()).containsEntry("status", ModelStatus.WARMING);
				Health health = health(context, "detector");
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("tuning", TuningStatus.TUNED);
			});
	}

	@Test
	void modelMarkedDownIsDownWithItsError() {
		String slow = ModelFiles.write(this.models, "detector.onnx", TestModels.detector());
		this.contextRunner.withPropertyValues("onnx.models.slow.location=" + slow,
				"onnx.models.slow.warmup.timeout=1ms", "onnx.models.slow.warmup.on-failure=mark-down",
				"onnx.models.slow.warmup.iterations=50", "onnx.models.slow.warmup.shapes[0].image=1x3x256x256",
				"onnx.models.cold.location=" + ModelFiles.convNet(this.models), "onnx.models.cold.warmup.enabled=false")
			.run((context) -> {
				ModelFiles.publishReady(context.getSourceApplicationContext());
				Health slowHealth = health(context, "slow");
				assertThat(slowHealth.getStatus()).isEqualTo(Status.DOWN);
				assertThat((String) slowHealth.getDetails().get("error")).contains("timed out");
				assertThat(health(context, "cold").getStatus()).isEqualTo(Status.UP);
			});
	}

	@Test
	void contributorCanBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.onnx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("onnxHealthContributor"));
	}

	private static Health health(ApplicationContext context, String model) {
		CompositeHealthContributor onnx = context.getBean("onnxHealthContributor", CompositeHealthContributor.class);
		HealthContributor contributor = onnx.getContributor(model);
		return ((HealthIndicator) contributor).health();
	}

	/**
	 * Asks the model's health while tuning creates a candidate's session: every session
	 * after the model's own is a candidate's.
	 */
	static final class HealthWhileTuning implements OrtSessionOptionsCustomizer, ApplicationContextAware {

		final List<Health> seen = new CopyOnWriteArrayList<>();

		private final AtomicInteger sessions = new AtomicInteger();

		private ApplicationContext context;

		@Override
		public void setApplicationContext(ApplicationContext context) {
			this.context = context;
		}

		@Override
		public void customize(String modelName, SessionOptions options) {
			if (this.sessions.incrementAndGet() > 1) {
				this.seen.add(health(this.context, modelName));
			}
		}

	}

}
