package io.github.onnxgpu.boot.internal.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link UnsupportedSpringBootVersionException} as its one line and the fix,
 * without a stack trace. Uses only types that Spring Boot 3 has too, since that is where
 * it runs.
 */
public class UnsupportedSpringBootVersionFailureAnalyzer
		extends AbstractFailureAnalyzer<UnsupportedSpringBootVersionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnsupportedSpringBootVersionException cause) {
		return new FailureAnalysis(cause.getMessage(), UnsupportedSpringBootVersionException.ACTION, cause);
	}

}
