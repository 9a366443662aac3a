package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.tuning.CandidateMeasurement;
import io.github.onnxgpu.boot.internal.tuning.TuningReport;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link ModelTuner} and {@link TunedModelLoader}: start-up tuning of generated
 * models on the CPU, with real runs; the choice itself is checked with a fake clock.
 */
@ExtendWith(OutputCaptureExtension.class)
class ModelTunerTests {

	@TempDir
	Path models;

	@TempDir
	Path cache;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly()
		.withBean(SessionCounter.class, SessionCounter::new);

	private ApplicationContextRunner tuned(String... candidates) {
		return this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.models),
					"onnx.models.m.warmup.shapes[0].x=1x3x16x16", "onnx.models.m.warmup.shapes[1].x=1x3x24x24",
					"onnx.models.m.warmup.iterations=2", "onnx.models.m.warmup.max-iterations=3",
					"onnx.models.m.tuning.enabled=true", "onnx.models.m.tuning.runs=5",
					"onnx.models.m.tuning.cache.directory=" + this.cache)
			.withPropertyValues(candidates);
	}

	private static final String[] THREADS_1_2 = { "onnx.models.m.tuning.candidates[0].session.intra-op-threads=1",
			"onnx.models.m.tuning.candidates[1].session.intra-op-threads=2" };

	@Test
	void tuningOverThreadCountsMeasuresEveryCandidateAndServesTheOneItReportsChosen() {
		tuned(THREADS_1_2).run((context) -> {
			ManagedModel model = warmedUp(context);
			TuningReport report = model.tuningReport();
			assertThat(report.status()).isEqualTo(TuningStatus.TUNED);
			assertThat(report.candidates()).extracting(CandidateMeasurement::settings)
				.containsExactly(Map.of("session.intra-op-threads", "1"), Map.of("session.intra-op-threads", "2"));
			assertThat(report.candidates()).allSatisfy((candidate) -> {
				assertThat(candidate.error()).isNull();
				assertThat(candidate.warmupMillis()).isPositive();
				assertThat(candidate.samples()).hasSize(2).allSatisfy((sample) -> {
					assertThat(sample.firstMillis()).isPositive();
					assertThat(sample.p50Millis()).isPositive().isLessThanOrEqualTo(sample.p90Millis());
				});
				// the sum is compensated, so not always the same double as a + b
				assertThat(candidate.sumP50Millis()).isCloseTo(
						candidate.samples().get(0).p50Millis() + candidate.samples().get(1).p50Millis(), within(1e-9));
			});
			// which one wins depends on the host; the rule is proven with a fake clock
			// below and in TuningChoiceTests
			int chosen = report.chosen();
			assertThat(chosen).isBetween(0, 1);
			assertThat(model.definition().session().intraOpThreads()).isEqualTo(chosen + 1);
			assertThat(model.status()).isEqualTo(ModelStatus.READY);
			assertThat(model.warmupResult().samples()).hasSize(2);
			assertThat(report.tuningMillis()).isPositive();
			// the model's own session, and the candidate that lost, are closed
			assertThat(context.getBean(SessionCounter.class).created()).isEqualTo(3);
		});
	}

	@Test
	void tuningChoosesTheLowestSumOfMediansByTheClock(CapturedOutput output) {
		tunedWithClock(new FakeClock(5, 2, 3_000_000, 1_000_000, 2_000_000),
				"onnx.models.m.tuning.candidates[0].session.intra-op-threads=1",
				"onnx.models.m.tuning.candidates[1].session.intra-op-threads=2",
				"onnx.models.m.tuning.candidates[2].session.execution-mode=parallel")
			.run((context) -> {
				ManagedModel model = warmedUp(context);
				TuningReport report = model.tuningReport();
				assertThat(report.candidates()).extracting(CandidateMeasurement::sumP50Millis)
					.containsExactly(6.0, 2.0, 4.0);
				assertThat(report.chosen()).isEqualTo(1);
				assertThat(model.definition().session().intraOpThreads()).isEqualTo(2);
				assertThat(output).contains("ONNX model 'm' tuned in")
					.contains("candidate 1 {session.intra-op-threads=2} chosen, sum of p50 2.000 ms, 50.0% faster than "
							+ "the next");
			});
	}

	@Test
	void tuningWhenCandidatesAreWithinThreePercentChoosesTheFirstListed(CapturedOutput output) {
		tunedWithClock(new FakeClock(5, 2, 1_020_000, 1_000_000, 3_000_000),
				"onnx.models.m.tuning.candidates[0].session.intra-op-threads=1",
				"onnx.models.m.tuning.candidates[1].session.intra-op-threads=2",
				"onnx.models.m.tuning.candidates[2].session.execution-mode=parallel")
			.run((context) -> {
				ManagedModel model = warmedUp(context);
				assertThat(model.tuningReport().chosen()).isEqualTo(0);
				assertThat(model.definition().session().intraOpThreads()).isEqualTo(1);
				assertThat(output).contains("2.0% slower than the fastest, within the 3% tie margin and listed first");
			});
	}

	@Test
	void secondStartOnTheSameCacheReportsCachedAndCreatesOnlyTheChosenSession(CapturedOutput output) throws Exception {
		ApplicationContextRunner runner = tuned(THREADS_1_2);
		AtomicInteger chosen = new AtomicInteger(-1);
		runner.run((context) -> {
			ManagedModel model = warmedUp(context);
			chosen.set(model.tuningReport().chosen());
			assertThat(context.getBean(SessionCounter.class).created()).isEqualTo(3);
		});
		assertThat(Files.list(this.cache)).hasSize(1);
		runner.run((context) -> {
			ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
			assertThat(context.getBean(SessionCounter.class).created()).isEqualTo(1);
			TuningReport report = model.tuningReport();
			assertThat(report.status()).isEqualTo(TuningStatus.CACHED);
			assertThat(report.cacheHit()).isTrue();
			assertThat(report.chosen()).isEqualTo(chosen.get());
			assertThat(report.candidates()).allSatisfy((candidate) -> assertThat(candidate.wasMeasured()).isFalse());
			assertThat(model.definition().session().intraOpThreads()).isEqualTo(chosen.get() + 1);
			ModelFiles.publishReady(context);
			assertThat(model.status()).isEqualTo(ModelStatus.READY);
			assertThat(context.getBean(SessionCounter.class).created()).isEqualTo(1);
			assertThat(model.tuningReport().status()).isEqualTo(TuningStatus.CACHED);
		});
		assertThat(output).contains("chosen from the tuning cache " + this.cache);
	}

	@Test
	void changedModelFileTunesAgain() throws Exception {
		String location = ModelFiles.write(this.models, "changing.onnx", TestModels.convNet());
		ApplicationContextRunner runner = this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + location, "onnx.models.m.warmup.shapes[0].x=1x3x32x32",
					"onnx.models.m.warmup.iterations=2", "onnx.models.m.warmup.max-iterations=3",
					"onnx.models.m.tuning.enabled=true", "onnx.models.m.tuning.runs=5",
					"onnx.models.m.tuning.cache.directory=" + this.cache)
			.withPropertyValues(THREADS_1_2);
		runner.run((context) -> assertThat(warmedUp(context).tuningReport().status()).isEqualTo(TuningStatus.TUNED));
		runner.run((context) -> assertThat(context.getBean(ManagedModelRegistry.class).get("m").tuningReport().status())
			.isEqualTo(TuningStatus.CACHED));
		// the same input, another file
		ModelFiles.write(this.models, "changing.onnx", TestModels.staticConvNet());
		runner.run((context) -> {
			ManagedModel model = warmedUp(context);
			assertThat(model.tuningReport().status()).isEqualTo(TuningStatus.TUNED);
			assertThat(context.getBean(SessionCounter.class).created()).isEqualTo(3);
		});
	}

	@Test
	void failingCandidateIsSkippedWithItsReason() {
		tuned("onnx.models.m.tuning.candidates[0].session.config[session.disable_cpu_ep_fallback]=1",
				"onnx.models.m.tuning.candidates[1].session.intra-op-threads=1")
			.run((context) -> {
				ManagedModel model = warmedUp(context);
				TuningReport report = model.tuningReport();
				assertThat(report.status()).isEqualTo(TuningStatus.TUNED);
				assertThat(report.chosen()).isEqualTo(1);
				assertThat(report.candidates().get(0).error()).startsWith("cannot be created")
					.contains("fallback to CPU EP has been explicitly disabled");
				assertThat(report.candidates().get(0).wasMeasured()).isFalse();
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
			});
	}

	@Test
	void tuningWhenEveryCandidateFailsFailsStartupWithEachReason() {
		tuned("onnx.models.m.tuning.candidates[0].session.config[session.disable_cpu_ep_fallback]=1",
				"onnx.models.m.tuning.candidates[1].session.optimized-model-path="
						+ this.models.resolve("no-such-folder").resolve("m.onnx"))
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				assertThatExceptionOfType(OnnxModelException.class).isThrownBy(() -> ModelFiles.publishReady(context))
					.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("onnx.models.m.tuning.candidates"))
					.withMessageContaining("tuning failed: every candidate failed")
					.withMessageContaining("candidate 0 {session.config.session.disable_cpu_ep_fallback=1}")
					.withMessageContaining("candidate 1 {session.optimized-model-path="
							+ this.models.resolve("no-such-folder").resolve("m.onnx") + "}");
				assertThat(model.tuningReport().status()).isEqualTo(TuningStatus.FAILED);
				assertThat(model.status()).isEqualTo(ModelStatus.FAILED);
			});
	}

	@Test
	void tuningWhenTheWarmupTimeoutRunsOutMarksTheModelDownNamingTheTimeout() {
		// a run at this shape takes longer than the whole timeout
		tuned(THREADS_1_2)
			.withPropertyValues("onnx.models.m.warmup.shapes[0].x=1x3x512x512", "onnx.models.m.warmup.timeout=1ms",
					"onnx.models.m.warmup.on-failure=mark-down")
			.run((context) -> {
				ManagedModel model = warmedUp(context);
				TuningReport report = model.tuningReport();
				assertThat(report.status()).isEqualTo(TuningStatus.FAILED);
				assertThat(report.message()).startsWith("every candidate failed");
				assertThat(report.candidates()).extracting(CandidateMeasurement::error)
					.allSatisfy((error) -> assertThat(error).contains("the warmup timeout of PT0.001S ran out"));
				assertThat(model.status()).isEqualTo(ModelStatus.FAILED);
				assertThat(model.warmupResult().error()).startsWith("tuning failed");
				assertThat(this.cache).isEmptyDirectory();
			});
	}

	@Test
	void corruptCacheEntryIsIgnoredWithOneWarningAndRewritten(CapturedOutput output) throws Exception {
		ApplicationContextRunner runner = tuned(THREADS_1_2);
		runner.run((context) -> assertThat(warmedUp(context).tuningReport().status()).isEqualTo(TuningStatus.TUNED));
		Path entry;
		try (var files = Files.list(this.cache)) {
			entry = files.findFirst().orElseThrow();
		}
		Files.writeString(entry, "not an entry");
		runner.run((context) -> assertThat(warmedUp(context).tuningReport().status()).isEqualTo(TuningStatus.TUNED));
		assertThat(output.toString().lines().filter((line) -> line.contains("WARN") && line.contains(entry.toString())))
			.hasSize(1);
		runner.run((context) -> assertThat(warmedUp(context).tuningReport().status()).isEqualTo(TuningStatus.CACHED));
	}

	@Test
	void cacheThatCannotBeWrittenLeavesTheModelTunedWithOneWarningAndDeletesNothing(CapturedOutput output)
			throws Exception {
		Path notAFolder = Files.writeString(this.cache.resolve("users-file.txt"), "mine");
		tuned(THREADS_1_2).withPropertyValues("onnx.models.m.tuning.cache.directory=" + notAFolder).run((context) -> {
			assertThat(warmedUp(context).tuningReport().status()).isEqualTo(TuningStatus.TUNED);
			assertThat(output).contains("the tuning choice could not be stored in " + notAFolder)
				.contains("the next start tunes again");
		});
		assertThat(notAFolder).hasContent("mine");
		try (var files = Files.list(this.cache)) {
			assertThat(files).containsExactly(notAFolder);
		}
	}

	@Test
	void sessionBeanOfATunedModelRunsOnTheChosenSession() {
		// candidate 1 wins by the clock, so the chosen session is not the first created
		tunedWithClock(new FakeClock(5, 2, 3_000_000, 1_000_000), THREADS_1_2).withUserConfiguration(SessionUser.class)
			.run((context) -> {
				OrtSession injected = context.getBean(SessionUser.class).session;
				ManagedModel model = warmedUp(context);
				assertThat(model.tuningReport().chosen()).isEqualTo(1);
				assertThat(model.definition().session().intraOpThreads()).isEqualTo(2);
				assertThat(injected).isNotSameAs(model.session());
				// a session hands out the same set each time: the same set is the same
				// session
				Set<String> chosenSessionsInputs = model.call(OrtSession::getInputNames);
				assertThat(injected.getInputNames()).isSameAs(chosenSessionsInputs).containsExactly("x");
				runsOn(injected);
				assertThat(model.tuningReport().status()).isEqualTo(TuningStatus.TUNED);
			});
	}

	private static void runsOn(OrtSession injected) throws OrtException {
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		try (OnnxTensor x = OnnxTensor.createTensor(environment, new float[1][3][8][8]);
				OrtSession.Result result = injected.run(Map.of("x", x))) {
			assertThat(result.get("y")).isPresent();
		}
	}

	@Test
	void tuningWithoutCandidatesOnTheCpuTriesTheDefaultThreadCounts() {
		tuned().run((context) -> {
			TuningReport report = warmedUp(context).tuningReport();
			int cores = Runtime.getRuntime().availableProcessors();
			List<String> expected = List.of(1, Math.max(1, cores / 2), cores)
				.stream()
				.distinct()
				.map(String::valueOf)
				.toList();
			assertThat(report.candidates())
				.extracting((candidate) -> candidate.settings().get("session.intra-op-threads"))
				.containsExactlyElementsOf(expected);
		});
	}

	private ApplicationContextRunner tunedWithClock(LongSupplier clock, String... candidates) {
		return tuned(candidates).withUserConfiguration(ClockedRunner.class).withBean(LongSupplier.class, () -> clock);
	}

	private static ManagedModel warmedUp(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		ModelFiles.publishReady(context);
		return context.getBean(ManagedModelRegistry.class).get("m");
	}

	/**
	 * A clock for the timed runs: every run of a candidate takes that candidate's
	 * duration.
	 */
	static final class FakeClock implements LongSupplier {

		private final int ticksPerCandidate;

		private final long[] durations;

		private final AtomicLong now = new AtomicLong();

		private final AtomicInteger ticks = new AtomicInteger();

		FakeClock(int runs, int samples, long... durations) {
			this.ticksPerCandidate = 2 * runs * samples;
			this.durations = durations;
		}

		@Override
		public long getAsLong() {
			int tick = this.ticks.getAndIncrement();
			// a run starts on even ticks and ends on odd ones
			return (tick % 2 == 0) ? this.now.get() : this.now.addAndGet(this.durations[tick / this.ticksPerCandidate]);
		}

	}

	/**
	 * Counts the sessions created, through the customizer every session's options pass.
	 */
	static final class SessionCounter implements OrtSessionOptionsCustomizer {

		private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

		@Override
		public void customize(String modelName, OrtSession.SessionOptions options) {
			this.counts.computeIfAbsent(modelName, (name) -> new AtomicInteger()).incrementAndGet();
		}

		int created() {
			AtomicInteger count = this.counts.get("m");
			return (count != null) ? count.get() : 0;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClockedRunner {

		@Bean
		OnnxWarmupRunner onnxWarmupRunner(ManagedModelRegistry registry, LongSupplier clock) {
			return new OnnxWarmupRunner(registry, OrtEnvironment.getEnvironment(), 1, clock);
		}

	}

	static class SessionUser {

		final OrtSession session;

		SessionUser(@Qualifier("m") OrtSession session) {
			this.session = session;
		}

	}

}
