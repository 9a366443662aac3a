package io.github.onnxgpu.boot.test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import io.github.onnxgpu.boot.OnnxModelException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finds the {@link OnnxModelException} behind a failed start-up.
 */
public final class StartupFailures {

	private StartupFailures() {
	}

	/**
	 * The model exception that stopped the context, wherever Spring wrapped it.
	 * @param context the failed context
	 * @return the exception
	 */
	public static OnnxModelException modelException(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		while (failure != null && !(failure instanceof OnnxModelException)) {
			failure = failure.getCause();
		}
		assertThat(failure).as("OnnxModelException behind " + context.getStartupFailure()).isNotNull();
		return (OnnxModelException) failure;
	}

}
