package io.github.onnxgpu.boot.internal.warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.RunOptions;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.internal.session.OrtEnvironments;
import io.github.onnxgpu.boot.model.WarmupData;
import io.github.onnxgpu.boot.model.WarmupFailureAction;
import io.github.onnxgpu.boot.test.JavaProcess;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a failing warmup is reported once, by the starter's message with ONNX
 * Runtime's reason, without ONNX Runtime's own error lines (native, so only a fresh JVM
 * shows them).
 */
class WarmupLogLinesTests {

	@Test
	void failingWarmupPrintsNoOnnxRuntimeErrorLines() throws Exception {
		JavaProcess process = JavaProcess.run(System.getProperty("java.class.path"), List.of(), FailingWarmup.class);
		String output = process.output();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("warmup error: sample 0 {input=1x512, state=2x1x128, sr=scalar} failed")
			.contains("Reshape")
			.doesNotContain("[E:onnxruntime");
	}

	/**
	 * Warms the voice activity detector with its sample rate left at 0, which fails
	 * inside ONNX Runtime.
	 */
	public static final class FailingWarmup {

		public static void main(String[] args) throws OrtException {
			OrtEnvironment environment = OrtEnvironments.get();
			ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
			try (OrtSession session = environment.createSession(TestModels.voiceActivityDetector(),
					new OrtSession.SessionOptions())) {
				WarmupSettings settings = new WarmupSettings(true, 3, 20, 0.1, java.time.Duration.ofMinutes(1),
						WarmupFailureAction.FAIL, WarmupData.ZEROS,
						List.of(new ConfiguredShape(0,
								Map.of("input", new long[] { 1, 512 }, "state", new long[] { 2, 1, 128 }))),
						Map.of(), Map.of(), DataSize.ofMegabytes(256));
				WarmupPlan plan = WarmupPlan.resolve("vad", session.getInputInfo(), settings);
				WarmupResult result = new ModelWarmer(environment, timer).warmUp(new Target(session, plan, settings));
				System.out.println("warmup error: " + result.error());
			}
			finally {
				timer.shutdownNow();
			}
		}

	}

	private record Target(OrtSession session, WarmupPlan plan, WarmupSettings settings) implements WarmupTarget {

		@Override
		public String name() {
			return "vad";
		}

		@Override
		public Map<String, NodeInfo> inputs() {
			try {
				return this.session.getInputInfo();
			}
			catch (OrtException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public <T> T call(SessionWork<T> work) throws OrtException {
			return work.call(this.session);
		}

		@Override
		public void recordOutputs(Map<String, long[]> inputDimensions, OrtSession.Result result) {
		}

		@Override
		public boolean isClosing() {
			return false;
		}

		@Override
		public void started(RunOptions runOptions) {
		}

		@Override
		public void ended() {
		}

		@Override
		public void terminate() {
		}

	}

}
