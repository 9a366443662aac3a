package io.github.onnxgpu.boot.model;

/**
 * How far ONNX Runtime rewrites the graph before running it.
 *
 * @since 0.1.0
 */
public enum OptimizationLevel {

	/**
	 * No graph optimization.
	 */
	NONE,

	/**
	 * Semantics-preserving rewrites such as constant folding and redundant node removal.
	 */
	BASIC,

	/**
	 * Basic plus operator fusions.
	 */
	EXTENDED,

	/**
	 * Everything, including layout optimizations (ONNX Runtime's default).
	 */
	ALL

}
