package io.github.onnxgpu.boot.model;

/**
 * How a session schedules the operators of a graph.
 *
 * @since 0.1.0
 */
public enum ExecutionMode {

	/**
	 * Operators run one after another.
	 */
	SEQUENTIAL,

	/**
	 * Independent operators may run at once, on the inter-op thread pool.
	 */
	PARALLEL

}
