package io.github.onnxgpu.boot.internal.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Reports an {@link OnnxModelException} at start-up as a description of the fault and the
 * action that fixes it.
 */
public class OnnxModelFailureAnalyzer extends AbstractFailureAnalyzer<OnnxModelException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, OnnxModelException cause) {
		return new FailureAnalysis(cause.getMessage(), "Update " + cause.getProperty() + ": " + cause.getAction(),
				cause);
	}

}
