package io.github.onnxgpu.boot.test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Keeps the last failure analysis that Spring Boot reported in this JVM, so that tests
 * assert the report users would see while the test logging leaves out the banner.
 * Registered in {@code META-INF/spring.factories}.
 */
public class RecordingFailureAnalysisReporter implements FailureAnalysisReporter {

	private static volatile FailureAnalysis last;

	@Override
	public void report(FailureAnalysis analysis) {
		last = analysis;
	}

	/**
	 * The last analysis reported.
	 * @return the analysis, or {@code null}
	 */
	public static FailureAnalysis last() {
		return last;
	}

	/**
	 * Forget the last analysis, before a test that expects one.
	 */
	public static void reset() {
		last = null;
	}

}
