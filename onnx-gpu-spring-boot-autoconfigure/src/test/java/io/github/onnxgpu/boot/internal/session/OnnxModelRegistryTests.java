package io.github.onnxgpu.boot.internal.session;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.FileSystemResource;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller;
import io.github.onnxgpu.boot.internal.provider.CudaProviderSelector;
import io.github.onnxgpu.boot.internal.provider.CudaSettings;
import io.github.onnxgpu.boot.internal.provider.TensorrtSettings;
import io.github.onnxgpu.boot.internal.startup.DownloadSettings;
import io.github.onnxgpu.boot.internal.warmup.WarmupSettings;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ManagedModelRegistry} shutdown: sessions are never closed under a run,
 * which would crash the JVM inside ONNX Runtime.
 */
@ExtendWith(OutputCaptureExtension.class)
class OnnxModelRegistryTests {

	@TempDir
	Path models;

	@Test
	void closeWaitsForTheRunInFlight() throws Exception {
		ManagedModelRegistry registry = registry(Duration.ofSeconds(10));
		ManagedModel model = registry.get("m");
		CountDownLatch release = new CountDownLatch(1);
		startBlockedRun(model, release);
		Thread closer = new Thread(registry::close);
		closer.start();
		closer.join(300);
		assertThat(closer.isAlive()).isTrue();
		assertThat(model.isClosed()).isFalse();
		release.countDown();
		closer.join(5000);
		assertThat(model.isClosed()).isTrue();
		assertThatIllegalStateException().isThrownBy(() -> model.call((session) -> null))
			.withMessageContaining("ONNX model 'm' is closed");
	}

	@Test
	void closeLeavesSessionOpenRatherThanClosingUnderARun(CapturedOutput output) throws Exception {
		ManagedModelRegistry registry = registry(Duration.ofMillis(100));
		ManagedModel model = registry.get("m");
		CountDownLatch release = new CountDownLatch(1);
		Thread run = startBlockedRun(model, release);
		registry.close();
		assertThat(model.isClosed()).isFalse();
		assertThat(output).contains("ONNX model 'm' still has runs in flight");
		release.countDown();
		run.join();
	}

	@Test
	void closingTheContextDuringWarmupTerminatesTheWarmupFirst(CapturedOutput output) {
		String location = ModelFiles.write(this.models, "detector.onnx", TestModels.detector());
		AtomicReference<ManagedModel> model = new AtomicReference<>();
		AtomicReference<Throwable> warmupFailure = new AtomicReference<>();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withPropertyValues("onnx.cuda.enabled=false", "onnx.models.slow.location=" + location,
					"onnx.models.slow.warmup.iterations=1000", "onnx.models.slow.warmup.shapes[0].image=1x3x512x512")
			.run((context) -> {
				model.set(context.getBean(ManagedModelRegistry.class).get("slow"));
				Thread warmup = new Thread(() -> {
					try {
						ModelFiles.publishReady(context.getSourceApplicationContext());
					}
					catch (Throwable ex) {
						warmupFailure.set(ex);
					}
				});
				warmup.start();
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
				while (model.get().status() != ModelStatus.WARMING && System.nanoTime() < deadline) {
					Thread.sleep(5);
				}
				assertThat(model.get().status()).isEqualTo(ModelStatus.WARMING);
				context.close();
				warmup.join(10_000);
				assertThat(warmup.isAlive()).isFalse();
			});
		assertThat(model.get().isClosed()).isTrue();
		assertThat(model.get().status()).isEqualTo(ModelStatus.FAILED);
		assertThat(model.get().warmupResult().error()).endsWith("failed: stopped by shutdown");
		// a warmup stopped by shutdown is not a start-up failure
		assertThat(warmupFailure.get()).isNull();
		assertThat(output).containsOnlyOnce("Warmup of ONNX models [slow] stopped by shutdown")
			.doesNotContain("raise the timeout");
	}

	@Test
	void closingTheContextAfterTheWarmupLeavesModelsToBeansThatUseThemOnDestroy() {
		AtomicReference<Object> lastRun = new AtomicReference<>();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withPropertyValues("onnx.cuda.enabled=false", "onnx.models.m.location=" + ModelFiles.convNet(this.models),
					"onnx.models.m.warmup.shapes[0].x=1x3x8x8")
			.withBean(LastRunOnDestroy.class, lastRun)
			.run((context) -> {
				ModelFiles.publishReady(context.getSourceApplicationContext());
				context.getBean(LastRunOnDestroy.class);
			});
		// the warmup runner, destroyed first, must not close the models early when no
		// warmup runs
		assertThat(lastRun.get()).isEqualTo(List.of("y"));
	}

	/**
	 * Runs the model once more when the context closes, as a bean flushing its last
	 * batch.
	 */
	static final class LastRunOnDestroy implements DisposableBean {

		private final AtomicReference<Object> lastRun;

		private final DefaultOnnxInference inference;

		LastRunOnDestroy(AtomicReference<Object> lastRun, DefaultOnnxInference inference) {
			this.lastRun = lastRun;
			this.inference = inference;
		}

		@Override
		public void destroy() {
			try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
					FloatBuffer.allocate(3 * 8 * 8), new long[] { 1, 3, 8, 8 });
					OrtSession.Result result = this.inference.run("m", Map.of("x", x))) {
				List<String> outputs = new ArrayList<>();
				result.forEach((output) -> outputs.add(output.getKey()));
				this.lastRun.set(outputs);
			}
			catch (Exception ex) {
				this.lastRun.set(ex);
			}
		}

	}

	private ManagedModelRegistry registry(Duration closeWait) {
		String location = ModelFiles.convNet(this.models);
		ModelDefinition definition = new ModelDefinition("m", new FileSystemResource(location.substring(5)), null,
				CudaSettings.disabled(), TensorrtSettings.disabled(), SessionSettings.defaults(),
				WarmupSettings.disabled(), 8, TuningSettings.disabled(), ServingSettings.single());
		// a local file: the download bounds do not apply
		DownloadSettings downloads = new DownloadSettings(Duration.ofSeconds(1), Duration.ofSeconds(1),
				Duration.ofSeconds(1), null);
		OnnxSessionFactory factory = new OnnxSessionFactory(OrtEnvironment.getEnvironment(),
				new CudaProviderSelector(CudaProviderInstaller.ONNX_RUNTIME), List.of(), downloads);
		return ManagedModelRegistry.load(factory, List.of(definition), closeWait);
	}

	/**
	 * Start a run through the model that holds the session until released.
	 */
	private static Thread startBlockedRun(ManagedModel model, CountDownLatch release) throws InterruptedException {
		CountDownLatch running = new CountDownLatch(1);
		Thread run = new Thread(() -> call(model, running, release));
		run.start();
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		return run;
	}

	private static void call(ManagedModel model, CountDownLatch running, CountDownLatch release) {
		try {
			model.call((session) -> {
				running.countDown();
				awaitQuietly(release);
				return null;
			});
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
