package io.github.onnxgpu.boot.internal.session;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OrtEnvironments#holdUntilExit()}: ONNX Runtime's own JVM shutdown hook
 * must not release the native environment that sessions still use. Each test runs ONNX
 * Runtime's real hook ({@code OrtEnvironment$OrtEnvCloser}) in a fresh JVM, then creates
 * and runs a session as a shutdown still in progress would.
 */
@EnabledOnOs(OS.LINUX)
class OrtEnvironmentsHoldTests {

	@Test
	void heldEnvironmentOutlivesOnnxRuntimesShutdownHook() throws Exception {
		String output = run("hold");
		assertThat(output).contains("held=true", "ran 20 runs").doesNotContain("Exception");
	}

	@Test
	void withoutTheHoldOnnxRuntimesShutdownHookFreesTheEnvironmentSessionsNeed() throws Exception {
		// what the hold prevents: ONNX Runtime 1.29's hook destroys the environment
		String output = run("no-hold");
		assertThat(output).doesNotContain("ran 20 runs").contains("DefaultLogger but none has been registered");
	}

	private static String run(String mode) throws Exception {
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), HookThenRun.class.getName(), mode)
			.redirectErrorStream(true)
			.start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
			return output;
		}
		finally {
			process.destroyForcibly();
		}
	}

	/**
	 * Holds the environment (or not), runs ONNX Runtime's shutdown hook, then creates and
	 * runs a session.
	 */
	static final class HookThenRun {

		public static void main(String[] args) throws Exception {
			OrtEnvironment environment = OrtEnvironments.get();
			if ("hold".equals(args[0])) {
				System.out.println("held=" + OrtEnvironments.holdUntilExit());
			}
			onnxRuntimesShutdownHook(environment).run();
			OrtSession.SessionOptions options = new OrtSession.SessionOptions();
			options.setLoggerId("m");
			try (OrtSession session = environment.createSession(TestModels.detector(), options);
					OnnxTensor image = OnnxTensor.createTensor(environment, FloatBuffer.allocate(3 * 64 * 64),
							new long[] { 1, 3, 64, 64 })) {
				for (int i = 0; i < 20; i++) {
					session.run(Map.of("image", image)).close();
				}
			}
			System.out.println("ran 20 runs");
		}

		private static Runnable onnxRuntimesShutdownHook(OrtEnvironment environment) throws Exception {
			Field apiHandle = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
			apiHandle.setAccessible(true);
			Field nativeHandle = OrtEnvironment.class.getDeclaredField("nativeHandle");
			nativeHandle.setAccessible(true);
			Constructor<?> closer = Class.forName("ai.onnxruntime.OrtEnvironment$OrtEnvCloser")
				.getDeclaredConstructor(long.class, long.class);
			closer.setAccessible(true);
			return (Runnable) closer.newInstance(apiHandle.getLong(null), nativeHandle.getLong(environment));
		}

	}

}
