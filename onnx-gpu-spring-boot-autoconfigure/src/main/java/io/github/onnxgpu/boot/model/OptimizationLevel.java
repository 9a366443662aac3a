package io.github.onnxgpu.boot.model;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How far ONNX Runtime rewrites the graph before running it.
 *
 * @since 0.1.0
 */
public enum OptimizationLevel {

	/**
	 * No graph optimization.
	 */
	NONE(OptLevel.NO_OPT),

	/**
	 * Semantics-preserving rewrites such as constant folding and redundant node removal.
	 */
	BASIC(OptLevel.BASIC_OPT),

	/**
	 * Basic plus operator fusions.
	 */
	EXTENDED(OptLevel.EXTENDED_OPT),

	/**
	 * Everything, including layout optimizations (ONNX Runtime's default).
	 */
	ALL(OptLevel.ALL_OPT);

	private final OptLevel ortValue;

	OptimizationLevel(OptLevel ortValue) {
		this.ortValue = ortValue;
	}

	OptLevel ortValue() {
		return this.ortValue;
	}

}
