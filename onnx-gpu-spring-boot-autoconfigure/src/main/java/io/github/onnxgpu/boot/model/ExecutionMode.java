package io.github.onnxgpu.boot.model;

import ai.onnxruntime.OrtSession.SessionOptions;

/**
 * How a session schedules the operators of a graph.
 *
 * @since 0.1.0
 */
public enum ExecutionMode {

	/**
	 * Operators run one after another.
	 */
	SEQUENTIAL(SessionOptions.ExecutionMode.SEQUENTIAL),

	/**
	 * Independent operators may run at once, on the inter-op thread pool.
	 */
	PARALLEL(SessionOptions.ExecutionMode.PARALLEL);

	private final SessionOptions.ExecutionMode ortValue;

	ExecutionMode(SessionOptions.ExecutionMode ortValue) {
		this.ortValue = ortValue;
	}

	SessionOptions.ExecutionMode ortValue() {
		return this.ortValue;
	}

}
