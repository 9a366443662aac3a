package io.github.onnxgpu.boot.internal.session;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.reload.OnnxReloadAutoConfiguration;
import io.github.onnxgpu.boot.internal.metrics.OnnxReloadMetrics;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.model.ReloadAttempt;
import io.github.onnxgpu.boot.model.ReloadOutcome;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.testmodels.Attribute;
import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ModelReloader}: new versions swapped in under load, refused ones
 * rolled back, polling, batching and tuning.
 */
class ModelReloaderTests {

	private static final int CALLERS = 4;

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly()
		.withConfiguration(AutoConfigurations.of(OnnxReloadAutoConfiguration.class));

	@Test
	void reloadsUnderConcurrentRunsThroughOnnxInferenceAndTheRawSessionWithNoFailedRun() {
		Path file = this.models.resolve("m.onnx");
		write(file, times(1));
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=file:" + file, "onnx.models.m.warmup.shapes[0].x=2x4",
					"onnx.warmup.iterations=3")
			.run((context) -> {
				ModelFiles.publishReady(context);
				OnnxInference inference = context.getBean(OnnxInference.class);
				OrtSession raw = context.getBean("m", OrtSession.class);
				ModelReloader reloader = context.getBean(ModelReloader.class);
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				AtomicBoolean stop = new AtomicBoolean();
				AtomicLong runs = new AtomicLong();
				Set<Float> seen = ConcurrentHashMap.newKeySet();
				ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
				List<Future<?>> running = new ArrayList<>();
				for (int i = 0; i < CALLERS; i++) {
					boolean throughRaw = i % 2 == 1;
					running.add(callers.submit(() -> {
						OrtEnvironment environment = OrtEnvironment.getEnvironment();
						while (!stop.get()) {
							try (OnnxTensor x = OnnxTensor.createTensor(environment, new float[][] { { 1, 2, 3, 4 } });
									Result result = throughRaw ? raw.run(Map.of("x", x))
											: inference.run("m", Map.of("x", x))) {
								float[][] y = (float[][]) result.get("y").orElseThrow().getValue();
								float factor = y[0][0];
								assertThat(y[0]).containsExactly(factor, 2 * factor, 3 * factor, 4 * factor);
								seen.add(factor);
								runs.incrementAndGet();
							}
						}
						return null;
					}));
				}
				for (int version = 2; version <= 9; version++) {
					awaitRuns(runs, runs.get() + 50, running);
					write(file, times(version));
					ReloadAttempt attempt = reloader.reload("m", "test");
					assertThat(attempt.outcome()).as("%s", attempt).isEqualTo(ReloadOutcome.SWAPPED);
					assertThat(model.generation()).isEqualTo(version - 1);
					assertThat(model.status()).isEqualTo(ModelStatus.READY);
					try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
							new float[][] { { 1, 1, 1, 1 } }); Result result = raw.run(Map.of("x", x))) {
						assertThat(((float[][]) result.get("y").orElseThrow().getValue())[0][0]).isEqualTo(version);
					}
				}
				awaitRuns(runs, runs.get() + 50, running);
				stop.set(true);
				for (Future<?> caller : running) {
					// a failed run (one on a closed session included) fails here
					caller.get(60, TimeUnit.SECONDS);
				}
				callers.shutdown();
				assertThat(seen).contains(1f, 9f);
				assertThat(model.reloads().swapped()).isEqualTo(8);
				assertThat(model.version().sha256()).isEqualTo(sha256(times(9)));
				assertThat(model.instances()).singleElement()
					.satisfies((instance) -> assertThat(instance.index()).isZero());
			});
	}

	@Test
	void corruptFileIsRefusedAndTheOldVersionServes() {
		refused(TestModels.truncated(times(2)), "cannot load the model file");
	}

	@Test
	void fileWithOtherInputsIsRefusedNamingThePropertyThatAllowsIt() {
		refused(otherInput(), "onnx.models.m.reload.allow-signature-change=true");
	}

	@Test
	void newVersionWhoseWarmupFailsIsRefusedAndTheOldVersionServes() {
		refused(failsAtRun(), "the warmup of the new version failed");
	}

	private void refused(byte[] next, String reason) {
		Path file = this.models.resolve("m.onnx");
		write(file, times(1));
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=file:" + file, "onnx.models.m.warmup.shapes[0].x=1x4",
					"onnx.warmup.iterations=3")
			.run((context) -> {
				ModelFiles.publishReady(context);
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				MeterRegistry meters = new SimpleMeterRegistry();
				new OnnxReloadMetrics(context.getBean(ManagedModelRegistry.class)).bindTo(meters);
				OrtSession before = model.session();
				ModelVersion version = model.version();
				write(file, next);
				ReloadAttempt attempt = context.getBean(ModelReloader.class).reload("m", "test");
				assertThat(attempt.outcome()).isEqualTo(ReloadOutcome.FAILED);
				assertThat(attempt.reason()).contains(reason);
				assertThat(model.session()).isSameAs(before);
				// its SHA-256 may have been read in the background meanwhile
				assertThat(model.version()).usingRecursiveComparison().ignoringFields("sha256").isEqualTo(version);
				assertThat(model.generation()).isZero();
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
				assertThat(factor(context.getBean(OnnxInference.class))).isEqualTo(1f);
				assertThat(model.reloads().failed()).isEqualTo(1);
				assertThat(model.reloads().last()).isEqualTo(attempt);
				assertThat(meters.get(OnnxReloadMetrics.RELOADS)
					.tags("model", "m", "outcome", "failed")
					.functionCounter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void otherInputsAreServedWhenAllowed() {
		Path file = this.models.resolve("m.onnx");
		write(file, times(1));
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=file:" + file, "onnx.warmup.enabled=false",
					"onnx.models.m.reload.allow-signature-change=true")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				write(file, otherInput());
				assertThat(context.getBean(ModelReloader.class).reload("m", "test").outcome())
					.isEqualTo(ReloadOutcome.SWAPPED);
				assertThat(model.inputs()).containsOnlyKeys("z");
				OrtEnvironment environment = OrtEnvironment.getEnvironment();
				try (OnnxTensor z = OnnxTensor.createTensor(environment, new float[][] { { 1, 2, 3, 4 } });
						Result result = context.getBean(OnnxInference.class).run("m", Map.of("z", z))) {
					assertThat(((float[][]) result.get("y").orElseThrow().getValue())[0]).containsExactly(2, 4, 6, 8);
				}
			});
	}

	@Test
	void pollingReloadsAFileWrittenSlowlyOnlyOnceComplete() {
		Path file = this.models.resolve("m.onnx");
		write(file, times(1));
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=file:" + file, "onnx.warmup.enabled=false",
					"onnx.models.m.reload.poll=300ms")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				assertThat(model.version().sha256()).isEqualTo(sha256(times(1)));
				byte[] next = times(3);
				// written in pieces, each within a poll of the one before
				try (OutputStream output = Files.newOutputStream(file)) {
					for (int i = 0; i < next.length; i += 16) {
						output.write(next, i, Math.min(16, next.length - i));
						output.flush();
						Thread.sleep(10);
					}
				}
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				while (model.reloads().swapped() == 0 && System.nanoTime() < deadline) {
					Thread.sleep(20);
				}
				assertThat(model.version().sha256()).isEqualTo(sha256(next));
				assertThat(model.reloads().failed()).as("half-written versions tried").isZero();
				assertThat(model.reloads().swapped()).isEqualTo(1);
				assertThat(model.reloads().last().trigger()).isEqualTo("poll");
				assertThat(factor(context.getBean(OnnxInference.class))).isEqualTo(3f);
			});
	}

	@Test
	void pollingALocationThatIsNotAFileIsRefusedAtStartUp() throws IOException {
		// a model inside a jar, as a class path model of a packaged application
		Path jar = this.models.resolve("models.jar");
		try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
			zip.putNextEntry(new java.util.zip.ZipEntry("m.onnx"));
			zip.write(times(1));
			zip.closeEntry();
		}
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=jar:" + jar.toUri() + "!/m.onnx", "onnx.warmup.enabled=false",
					"onnx.models.m.reload.poll=1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("onnx.models.m.reload.poll")
				.hasMessageContaining("only file: locations are polled"));
	}

	@Test
	void reloadsWhileABatchingQueueIsBusy() {
		Path file = this.models.resolve("m.onnx");
		write(file, times(1));
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=file:" + file, "onnx.models.m.batching.enabled=true",
					"onnx.models.m.batching.max-batch-size=4", "onnx.models.m.batching.max-delay=5ms",
					"onnx.models.m.batching.queue-size=8", "onnx.models.m.warmup.shapes[0].x=1x4",
					"onnx.warmup.iterations=3")
			.run((context) -> {
				ModelFiles.publishReady(context);
				OnnxInference inference = context.getBean(OnnxInference.class);
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				AtomicBoolean stop = new AtomicBoolean();
				AtomicLong answered = new AtomicLong();
				AtomicLong busy = new AtomicLong();
				List<Throwable> failures = new CopyOnWriteArrayList<>();
				ExecutorService callers = Executors.newFixedThreadPool(16);
				for (int i = 0; i < 16; i++) {
					callers.submit(() -> {
						while (!stop.get()) {
							try {
								float factor = factor(inference);
								assertThat(factor).isIn(1f, 2f);
								answered.incrementAndGet();
							}
							catch (OnnxModelBusyException ex) {
								// a full queue refuses, as it does without reloads
								busy.incrementAndGet();
							}
							catch (Throwable ex) {
								failures.add(ex);
							}
						}
					});
				}
				while (answered.get() < 100) {
					Thread.onSpinWait();
				}
				write(file, times(2));
				assertThat(context.getBean(ModelReloader.class).reload("m", "test").outcome())
					.isEqualTo(ReloadOutcome.SWAPPED);
				long after = answered.get();
				while (answered.get() < after + 100) {
					Thread.onSpinWait();
				}
				stop.set(true);
				callers.shutdown();
				assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
				assertThat(failures).isEmpty();
				assertThat(model.batcher().stats().batches()).isPositive();
				assertThat(factor(inference)).isEqualTo(2f);
			});
	}

	@Test
	void reloadTunesTheNewVersionWithTheCacheKeyedByItsChecksum() {
		Path file = this.models.resolve("m.onnx");
		Path cache = this.models.resolve("tuning");
		write(file, times(1));
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=file:" + file, "onnx.models.m.warmup.shapes[0].x=2x4",
					"onnx.warmup.iterations=3", "onnx.models.m.tuning.enabled=true", "onnx.models.m.tuning.runs=5",
					"onnx.models.m.tuning.cache.directory=" + cache,
					"onnx.models.m.tuning.candidates[0].session.intra-op-threads=1",
					"onnx.models.m.tuning.candidates[1].session.intra-op-threads=2")
			.run((context) -> {
				ModelFiles.publishReady(context);
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				ModelReloader reloader = context.getBean(ModelReloader.class);
				assertThat(model.tuningReport().status()).isEqualTo(TuningStatus.TUNED);
				write(file, times(2));
				assertThat(reloader.reload("m", "test").outcome()).isEqualTo(ReloadOutcome.SWAPPED);
				// a new checksum: tuned again, not the first version's choice
				assertThat(model.tuningReport().status()).isEqualTo(TuningStatus.TUNED);
				assertThat(model.version().sha256()).isEqualTo(sha256(times(2)));
				assertThat(factor(context.getBean(OnnxInference.class))).isEqualTo(2f);
				// the same file again: its choice comes from the cache
				assertThat(reloader.reload("m", "test").outcome()).isEqualTo(ReloadOutcome.SWAPPED);
				assertThat(model.tuningReport().status()).isEqualTo(TuningStatus.CACHED);
				try (var files = Files.list(cache)) {
					assertThat(files.filter((entry) -> entry.toString().endsWith(".properties"))).hasSize(2);
				}
			});
	}

	// a caller that failed ends the wait with its failure
	private static void awaitRuns(AtomicLong runs, long target, List<Future<?>> callers) throws Exception {
		while (runs.get() < target) {
			for (Future<?> caller : callers) {
				if (caller.isDone()) {
					caller.get();
				}
			}
			Thread.onSpinWait();
		}
	}

	private static float factor(OnnxInference inference) throws Exception {
		try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), new float[][] { { 1, 1, 1, 1 } });
				Result result = inference.run("m", Map.of("x", x))) {
			return ((float[][]) result.get("y").orElseThrow().getValue())[0][0];
		}
	}

	/**
	 * {@code y = x * factor}: versions of one model, told apart by their outputs.
	 * @param factor the factor
	 * @return the model bytes
	 */
	static byte[] times(float factor) {
		return OnnxModelBuilder.graph("times")
			.input("x", TensorType.FLOAT, "N", 4)
			.output("y", TensorType.FLOAT, "N", 4)
			.initializer("factor", new float[] { factor })
			.node("Mul", List.of("x", "factor"), List.of("y"))
			.toByteArray();
	}

	// the same computation with the input renamed
	private static byte[] otherInput() {
		return OnnxModelBuilder.graph("times")
			.input("z", TensorType.FLOAT, "N", 4)
			.output("y", TensorType.FLOAT, "N", 4)
			.initializer("factor", new float[] { 2 })
			.node("Mul", List.of("z", "factor"), List.of("y"))
			.toByteArray();
	}

	// loads with the same inputs and outputs, but fails to run: index 7 is out of the
	// 4 columns
	private static byte[] failsAtRun() {
		return OnnxModelBuilder.graph("times")
			.input("x", TensorType.FLOAT, "N", 4)
			.output("y", TensorType.FLOAT, "N", 4)
			.initializer("columns", new long[] { 0, 1, 2, 7 }, 4)
			.node("Gather", List.of("x", "columns"), List.of("y"), Attribute.intValue("axis", 1))
			.toByteArray();
	}

	static void write(Path file, byte[] model) {
		try {
			// replaced whole, as a deployment does
			Path next = file.resolveSibling(file.getFileName() + ".next");
			Files.write(next, model);
			Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
