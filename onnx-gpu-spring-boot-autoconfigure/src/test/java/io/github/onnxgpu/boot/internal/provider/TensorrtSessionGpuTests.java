package io.github.onnxgpu.boot.internal.provider;

import java.nio.file.Path;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs models on TensorRT. Only with {@code -Pgpu} on a machine where ONNX Runtime's
 * TensorRT provider loads; reported as skipped, with the reason, everywhere else.
 */
class TensorrtSessionGpuTests {

	@TempDir
	Path models;

	@TempDir
	Path cache;

	@BeforeEach
	void requireTensorrt() {
		assumeTrue(Boolean.getBoolean("onnx.test.gpu"), "GPU tests run with -Pgpu");
		String failure = tensorrtFailure();
		assumeTrue(failure == null, () -> "TensorRT cannot be loaded here: " + failure);
	}

	@Test
	void detectorWarmsOnTensorrtAndASecondStartLoadsTheCachedEngine() {
		String location = ModelFiles.write(this.models, "detector.onnx", TestModels.detector());
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withPropertyValues("onnx.tensorrt.enabled=true", "onnx.tensorrt.engine-cache.directory=" + this.cache,
					"onnx.tensorrt.timing-cache.directory=" + this.cache, "onnx.models.detector.location=" + location,
					"onnx.models.detector.warmup.iterations=3",
					"onnx.models.detector.warmup.shapes[0].image=1x3x256x256",
					"onnx.models.detector.warmup.shapes[1].image=1x3x512x512");
		double[] firstRuns = new double[2];
		runner.run((context) -> {
			ModelFiles.publishReady(context.getSourceApplicationContext());
			ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
			assertThat(model.provider().active()).isEqualTo(OrtProvider.TENSOR_RT);
			assertThat(model.status()).isEqualTo(ModelStatus.READY);
			assertThat(model.tensorrt().cacheState()).isEqualTo(TensorrtCacheState.BUILT);
			firstRuns[0] = startCost(model);
		});
		runner.run((context) -> {
			ModelFiles.publishReady(context.getSourceApplicationContext());
			ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
			assertThat(model.tensorrt().cacheState()).isEqualTo(TensorrtCacheState.HIT);
			firstRuns[1] = startCost(model);
		});
		// loading an engine against building one: far apart, not a tight timing bound
		assertThat(firstRuns[1]).isLessThan(firstRuns[0] / 2);
	}

	/**
	 * Session creation and the first warmup run: with a profile ONNX Runtime builds the
	 * engine while creating the session, without one on the first run.
	 */
	private static double startCost(ManagedModel model) {
		return model.sessionCreation().toNanos() + model.warmupResult().samples().get(0).first().toNanos();
	}

	private static String tensorrtFailure() {
		try (SessionOptions options = new SessionOptions()) {
			options.addTensorrt(0);
			return null;
		}
		catch (OrtException | RuntimeException | UnsatisfiedLinkError ex) {
			return ex.getMessage();
		}
	}

}
