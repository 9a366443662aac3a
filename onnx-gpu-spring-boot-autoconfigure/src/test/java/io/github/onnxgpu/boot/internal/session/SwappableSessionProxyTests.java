package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.health.OnnxHealthContributorAutoConfiguration;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.test.ConcurrentCallers;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the {@code OrtSession} bean ({@link SwappableSessionProxy}): the sessions
 * behind it are the starter's, so closing the bean, as raw ONNX Runtime code closes its
 * sessions, leaves them open, and every instance is closed at shutdown whatever another
 * did.
 */
@ExtendWith(OutputCaptureExtension.class)
class SwappableSessionProxyTests {

	private static final String IGNORED = "close() on the OrtSession bean of ONNX model 'scaled' is ignored";

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class,
				OnnxHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class))
		.withPropertyValues("onnx.cuda.enabled=false");

	@Test
	void closingTheBeanLeavesTheModelServingAndWarnsOnce(CapturedOutput output) {
		this.contextRunner.withPropertyValues(model()).run((context) -> {
			OrtSession bean = context.getBean("scaled", OrtSession.class);
			bean.close();
			bean.close();
			assertThat(run(bean)).isEqualTo(6);
			assertThat(run(context.getBean(OnnxInference.class))).isEqualTo(6);
			assertThat(health(context)).isEqualTo(Status.UP);
			assertThat(output.getOut().split(Pattern.quote(IGNORED), -1)).hasSize(2);
		});
	}

	@Test
	void closingTheBeanUnderLoadLeavesEveryRunSucceeding(CapturedOutput output) {
		this.contextRunner.withPropertyValues(model())
			.withPropertyValues("onnx.models.scaled.instances=2")
			.run((context) -> {
				OrtSession bean = context.getBean("scaled", OrtSession.class);
				OnnxInference inference = context.getBean(OnnxInference.class);
				AtomicBoolean running = new AtomicBoolean(true);
				CountDownLatch started = new CountDownLatch(1);
				Thread closer = new Thread(() -> {
					try {
						started.await(10, TimeUnit.SECONDS);
						while (running.get()) {
							bean.close();
							Thread.onSpinWait();
						}
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}, "closer");
				closer.start();
				try {
					ConcurrentCallers.run(8, 50, (caller, run) -> {
						started.countDown();
						float result = (run % 2 == 0) ? run(bean) : run(inference);
						assertThat(result).isEqualTo(6);
					});
				}
				finally {
					running.set(false);
					closer.join(10_000);
				}
				assertThat(run(bean)).isEqualTo(6);
				assertThat(health(context)).isEqualTo(Status.UP);
				assertThat(output.getOut().split(Pattern.quote(IGNORED), -1)).hasSize(2);
			});
	}

	@Test
	void shutdownClosesEveryInstanceWhenOneSessionWasClosedAlready() throws Exception {
		OrtSession[] sessions = new OrtSession[2];
		this.contextRunner.withPropertyValues(model())
			.withPropertyValues("onnx.models.scaled.instances=2")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("scaled");
				sessions[0] = model.callOn(0, (session) -> session);
				sessions[1] = model.callOn(1, (session) -> session);
				// raw ONNX Runtime code closing the session it was handed
				sessions[0].close();
			});
		assertThatIllegalStateException().isThrownBy(sessions[1]::getInputInfo).withMessageContaining("closed");
	}

	private String[] model() {
		return new String[] {
				"onnx.models.scaled.location="
						+ ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar()),
				"onnx.models.scaled.warmup.enabled=false" };
	}

	private static float run(OrtSession session) throws Exception {
		try (OnnxTensor x = tensor(); OnnxTensor s = scale(); Result result = session.run(Map.of("x", x, "scale", s))) {
			return ((float[][]) result.get(0).getValue())[0][1];
		}
	}

	private static float run(OnnxInference inference) throws Exception {
		try (OnnxTensor x = tensor();
				OnnxTensor s = scale();
				Result result = inference.run("scaled", Map.of("x", x, "scale", s))) {
			return ((float[][]) result.get(0).getValue())[0][1];
		}
	}

	private static OnnxTensor tensor() throws Exception {
		return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), new float[][] { { 1, 2, 3, 4 } });
	}

	private static OnnxTensor scale() throws Exception {
		return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), 3f);
	}

	private static Status health(AssertableApplicationContext context) {
		CompositeHealthContributor onnx = context.getBean("onnxHealthContributor", CompositeHealthContributor.class);
		return ((HealthIndicator) onnx.getContributor("scaled")).health().getStatus();
	}

}
