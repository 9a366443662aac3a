package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.ModelDefinition;
import io.github.onnxgpu.boot.internal.session.TuningCandidate;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.StartupFailures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TuningOptionsMapper}: candidates are the model's settings with their
 * overrides, and bad tuning configuration stops start-up naming the model, the property
 * and the fix.
 */
class TuningOptionsMapperTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	private String[] tuned(String... more) {
		String[] base = { "onnx.models.m.location=" + ModelFiles.convNet(this.models),
				"onnx.models.m.warmup.shapes[0].x=1x3x8x8", "onnx.models.m.tuning.enabled=true",
				"onnx.models.m.tuning.cache.enabled=false" };
		String[] all = new String[base.length + more.length];
		System.arraycopy(base, 0, all, 0, base.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return all;
	}

	@Test
	void candidateOverridesTheModelsOwnSettingsAndKeepsTheRest() {
		this.contextRunner
			.withPropertyValues(tuned("onnx.models.m.session.intra-op-threads=2",
					"onnx.models.m.session.execution-mode=parallel", "onnx.models.m.session.config[a.b]=1",
					"onnx.models.m.cuda.cudnn-conv-algo-search=exhaustive",
					"onnx.models.m.tuning.candidates[0].session.intra-op-threads=1",
					"onnx.models.m.tuning.candidates[0].session.config[c.d]=2",
					"onnx.models.m.tuning.candidates[0].cuda.cudnn-conv-algo-search=heuristic",
					"onnx.models.m.tuning.candidates[0].cuda.options.use_tf32=0",
					"onnx.models.m.tuning.candidates[1].session.execution-mode=sequential"))
			.run((context) -> {
				ModelDefinition definition = OnnxModelDefinitions.from(context.getBean(OnnxProperties.class)).get(0);
				TuningCandidate first = definition.tuning().candidates().get(0);
				assertThat(first.settings()).containsExactly(Map.entry("cuda.cudnn-conv-algo-search", "HEURISTIC"),
						Map.entry("cuda.options.use_tf32", "0"), Map.entry("session.config.c.d", "2"),
						Map.entry("session.intra-op-threads", "1"));
				assertThat(first.session().intraOpThreads()).isEqualTo(1);
				assertThat(first.session().executionMode()).hasToString("PARALLEL");
				assertThat(first.session().config()).containsEntry("a.b", "1").containsEntry("c.d", "2");
				assertThat(first.cuda().options()).containsEntry("cudnn_conv_algo_search", "HEURISTIC")
					.containsEntry("use_tf32", "0");
				TuningCandidate second = definition.tuning().candidates().get(1);
				assertThat(second.session().intraOpThreads()).isEqualTo(2);
				assertThat(second.session().executionMode()).hasToString("SEQUENTIAL");
				assertThat(second.cuda().options()).containsEntry("cudnn_conv_algo_search", "EXHAUSTIVE");
				// the model's own settings are untouched
				assertThat(definition.session().intraOpThreads()).isEqualTo(2);
				assertThat(definition.session().config()).containsOnlyKeys("a.b");
			});
	}

	@Test
	void defaultCandidatesOnCudaTrySearchAndOneDimensionalPadding() {
		this.contextRunner.withPropertyValues(tuned()).run((context) -> {
			ModelDefinition definition = OnnxModelDefinitions.from(context.getBean(OnnxProperties.class)).get(0);
			assertThat(definition.tuning().defaults().cuda()).extracting(TuningCandidate::settings)
				.containsExactly(
						Map.of("cuda.cudnn-conv-algo-search", "HEURISTIC", "cuda.cudnn-conv1d-pad-to-nc1d", "false"),
						Map.of("cuda.cudnn-conv-algo-search", "EXHAUSTIVE", "cuda.cudnn-conv1d-pad-to-nc1d", "false"));
			assertThat(definition.tuning().defaults().cudaWithConv1d()).extracting(TuningCandidate::settings)
				.extracting((settings) -> settings.get("cuda.cudnn-conv-algo-search") + "/"
						+ settings.get("cuda.cudnn-conv1d-pad-to-nc1d"))
				.containsExactly("HEURISTIC/false", "HEURISTIC/true", "EXHAUSTIVE/false", "EXHAUSTIVE/true");
			assertThat(definition.tuning().defaults().cudaWithConv1d().get(1).cuda().options())
				.containsEntry("cudnn_conv_algo_search", "HEURISTIC")
				.containsEntry("cudnn_conv1d_pad_to_nc1d", "1");
		});
	}

	@Test
	void tuningWhenRunsAreBelowFiveFailsStartup() {
		assertFailure(tuned("onnx.models.m.tuning.runs=4"), "onnx.models.m.tuning.runs", "runs is 4",
				"set onnx.models.m.tuning.runs to 5 or more");
	}

	@Test
	void tuningWhenTwoCandidatesAreTheSameFailsStartup() {
		assertFailure(
				tuned("onnx.models.m.tuning.candidates[0].session.intra-op-threads=1",
						"onnx.models.m.tuning.candidates[1].session.intra-op-threads=2",
						"onnx.models.m.tuning.candidates[2].session.intra-op-threads=1"),
				"onnx.models.m.tuning.candidates[2]",
				"candidate 2 {session.intra-op-threads=1} is the same as candidate 0",
				"remove onnx.models.m.tuning.candidates[2]");
	}

	@Test
	void tuningWhenWarmupIsOffFailsStartup() {
		assertFailure(tuned("onnx.models.m.warmup.enabled=false"), "onnx.models.m.tuning.enabled",
				"during the warmup, which is off", "onnx.models.m.warmup.enabled=true");
	}

	@Test
	void tuningWhenCandidateValueIsInvalidNamesTheCandidateProperty() {
		assertFailure(tuned("onnx.models.m.tuning.candidates[0].cuda.device-id=-1"),
				"onnx.models.m.tuning.candidates[0].cuda.device-id", "device-id must not be negative",
				"set onnx.models.m.tuning.candidates[0].cuda.device-id to 0");
	}

	@Test
	void tuningWhenModelHasDynamicDimensionsAndNoWarmupSamplesFailsStartup() {
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.models),
					"onnx.models.m.tuning.enabled=true", "onnx.models.m.tuning.cache.enabled=false")
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getModelName()).isEqualTo("m");
				assertThat(failure.getProperty()).isEqualTo("onnx.models.m.warmup.shapes");
				assertThat(failure.getMessage()).contains("dynamic dimensions");
			});
	}

	@Test
	void tuningWhenCandidateValueHasTheWrongTypeFailsStartup() {
		this.contextRunner.withPropertyValues(tuned("onnx.models.m.tuning.candidates[0].session.intra-op-threads=many"))
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining(
						"Failed to bind properties under 'onnx.models.m.tuning.candidates[0].session.intra-op-threads'")
				.hasStackTraceContaining("many"));
	}

	@Test
	void tuningWhenCandidateKeyIsUnknownFailsStartupNamingTheClosestKey() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OnnxPropertyNamesAutoConfiguration.class, OnnxAutoConfiguration.class))
			.withPropertyValues(tuned("onnx.models.m.tuning.candidates[0].session.intra-op-thread=1"))
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getModelName()).isEqualTo("m");
				assertThat(failure.getProperty())
					.isEqualTo("onnx.models.m.tuning.candidates[0].session.intra-op-thread");
				assertThat(failure.getMessage())
					.contains("did you mean onnx.models.m.tuning.candidates[0].session.intra-op-threads?");
			});
	}

	@Test
	void tuningDisabledLoadsTheModelWithItsOwnSettings() {
		List<String> sessions = new CopyOnWriteArrayList<>();
		this.contextRunner.withBean(OrtSessionOptionsCustomizer.class, () -> (model, options) -> sessions.add(model))
			.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.models),
					"onnx.models.m.warmup.shapes[0].x=1x3x8x8", "onnx.models.m.session.intra-op-threads=2",
					"onnx.models.m.session.config[a.b]=1",
					"onnx.models.m.tuning.candidates[0].session.intra-op-threads=1",
					"onnx.models.m.tuning.candidates[1].session.config[a.b]=2")
			.run((context) -> {
				ModelFiles.publishReady(context.getSourceApplicationContext());
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
				assertThat(model.tuningReport().status()).hasToString("DISABLED");
				assertThat(model.tuningReport().candidates()).isEmpty();
				assertThat(model.definition().session().intraOpThreads()).isEqualTo(2);
				assertThat(model.definition().session().config()).containsExactly(Map.entry("a.b", "1"));
				// the model's session and no candidate's
				assertThat(sessions).containsExactly("m");
			});
	}

	private void assertFailure(String[] properties, String property, String problem, String fix) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			OnnxModelException failure = StartupFailures.modelException(context);
			assertThat(failure.getModelName()).isEqualTo("m");
			assertThat(failure.getProperty()).isEqualTo(property);
			assertThat(failure).hasMessageContaining("ONNX model 'm'").hasMessageContaining(problem);
			assertThat(failure.getAction()).contains(fix);
		});
	}

}
