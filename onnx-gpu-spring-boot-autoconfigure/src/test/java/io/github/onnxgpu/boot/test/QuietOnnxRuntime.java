package io.github.onnxgpu.boot.test;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Creates ONNX Runtime's process-wide environment before any test, with its native log
 * limited to fatal errors. Tests that try CUDA where it cannot load would otherwise print
 * ONNX Runtime's own {@code Failed to load library} error to the console of a green
 * build; the same reason still reaches the tests in the exception, which they assert.
 * Registered through {@code META-INF/services}.
 */
public class QuietOnnxRuntime implements TestExecutionListener {

	@Override
	public void testPlanExecutionStarted(TestPlan testPlan) {
		// the first environment's level holds for the JVM; the starter's OrtEnvironments.get()
		// then returns this one. A thread with a large stack, as OrtEnvironments does.
		Thread initialiser = new Thread(null, () -> OrtEnvironment
			.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, OrtEnvironment.DEFAULT_NAME), "quiet-onnx-runtime",
				64L << 20);
		initialiser.start();
		try {
			initialiser.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
