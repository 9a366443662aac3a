package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.test.ConcurrentCallers;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.ProviderSeams;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ManagedModel}'s instances: several sessions of one model, each warmed,
 * runs sent to the least busy, the CPU's cores split between them.
 */
class ManagedModelTests {

	private static final int CALLERS = 8;

	private static final int RUNS = 40;

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void instancesShareTheCoresAndEachServesRuns() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.instances=2",
					"onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				ManagedModel model = model(context, "scaled");
				assertThat(model.instances()).hasSize(2);
				Integer threads = model.definition().session().intraOpThreads();
				assertThat(threads).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
				// the raw bean goes to the instances too, each call counted
				OrtSession bean = context.getBean("scaled", OrtSession.class);
				assertThat(bean).isNotSameAs(model.session());
				OnnxInference inference = context.getBean(OnnxInference.class);
				runConcurrently((caller, run) -> {
					try (OnnxTensor x = tensor(new float[][] { row(caller, run) });
							OnnxTensor s = scalar(3);
							Result result = (run % 2 == 0) ? inference.run("scaled", Map.of("x", x, "scale", s))
									: bean.run(Map.of("x", x, "scale", s))) {
						assertThat(((float[][]) result.get(0).getValue())[0][1]).isEqualTo(row(caller, run)[1] * 3);
					}
				});
				long total = model.instances().stream().mapToLong(InstanceState::runs).sum();
				assertThat(total).isEqualTo(CALLERS * RUNS);
				assertThat(model.instances()).allSatisfy((instance) -> {
					assertThat(instance.runs()).isPositive();
					assertThat(instance.inFlight()).isZero();
				});
			});
	}

	@Test
	void instancesAreEachWarmed() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner
			.withPropertyValues("onnx.models.scaled.location=" + location, "onnx.models.scaled.instances=3",
					"onnx.models.scaled.warmup.iterations=2", "onnx.models.scaled.warmup.max-iterations=2",
					"onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				ModelFiles.publishReady(context);
				ManagedModel model = model(context, "scaled");
				assertThat(model.instances()).extracting(InstanceState::runs)
					.allSatisfy((runs) -> assertThat(runs).isGreaterThanOrEqualTo(2));
			});
	}

	@Test
	void instancesArePlacedOnTheListedDevicesInTurn() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		List<Integer> devices = new CopyOnWriteArrayList<>();
		// a host without a GPU: the installer records the device each session asks for
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withUserConfiguration(ProviderSeams.class)
			.withBean(CudaProviderInstaller.class, () -> (options, settings) -> devices.add(settings.deviceId()))
			.withPropertyValues("onnx.cuda.probe=false", "onnx.models.scaled.location=" + location,
					"onnx.models.scaled.instances=3", "onnx.models.scaled.cuda.device-ids=1,0",
					"onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				ManagedModel model = model(context, "scaled");
				assertThat(devices).containsExactly(1, 0, 1);
				assertThat(model.instances()).extracting(InstanceState::provider).containsOnly(OrtProvider.CUDA);
				assertThat(model.instances()).extracting(InstanceState::deviceId).containsExactly(1, 0, 1);
				// a GPU session's threads are not split: they drive the device
				assertThat(model.definition().session().intraOpThreads()).isNull();
			});
	}

	private static ManagedModel model(AssertableApplicationContext context, String name) {
		assertThat(context).hasNotFailed();
		return context.getBean(ManagedModelRegistry.class).get(name);
	}

	private static float[] row(int caller, int run) {
		return new float[] { caller, run, caller * 1000 + run, -caller };
	}

	private static OnnxTensor tensor(float[][] values) throws Exception {
		return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), values);
	}

	private static OnnxTensor scalar(float value) throws Exception {
		return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), value);
	}

	private static void runConcurrently(ConcurrentCallers.CallerRun work) throws Exception {
		ConcurrentCallers.run(CALLERS, RUNS, work);
	}

}
