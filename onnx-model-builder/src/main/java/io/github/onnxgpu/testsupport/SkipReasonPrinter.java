package io.github.onnxgpu.testsupport;

import java.io.PrintStream;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why a test or test class was skipped, so that a plain build's output says why
 * the GPU tests or the sample's page tests did not run (Surefire keeps the reason in its
 * XML reports only, and reports a class skipped in {@code @BeforeAll} as
 * {@code Tests run: 0}). Registered through {@code META-INF/services}.
 */
public class SkipReasonPrinter implements TestExecutionListener {

	private final PrintStream out;

	public SkipReasonPrinter() {
		// the stream of the JVM, which Surefire forwards to the console
		this(System.out);
	}

	SkipReasonPrinter(PrintStream out) {
		this.out = out;
	}

	@Override
	public void executionSkipped(TestIdentifier test, String reason) {
		print(test, reason);
	}

	@Override
	public void executionFinished(TestIdentifier test, TestExecutionResult result) {
		// a failed assumption aborts the test: skipped, in Surefire's report
		if (result.getStatus() == Status.ABORTED) {
			print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
		}
	}

	private void print(TestIdentifier test, String reason) {
		this.out.println("[SKIPPED] " + describe(test) + ": " + reason);
	}

	private static String describe(TestIdentifier test) {
		TestSource source = test.getSource().orElse(null);
		if (source instanceof MethodSource method) {
			return simpleName(method.getClassName()) + "." + method.getMethodName();
		}
		if (source instanceof ClassSource type) {
			return simpleName(type.getClassName());
		}
		return test.getDisplayName();
	}

	private static String simpleName(String className) {
		return className.substring(className.lastIndexOf('.') + 1);
	}

}
