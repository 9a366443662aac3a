package io.github.onnxgpu.boot.model;

import ai.onnxruntime.OrtLoggingLevel;

/**
 * The least severe of ONNX Runtime's own log lines that it prints (on standard error,
 * from native code).
 *
 * @since 0.1.0
 */
public enum OrtLogLevel {

	/**
	 * Everything, including each node's placement and timing.
	 */
	VERBOSE(OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE),

	/**
	 * Informational lines and above.
	 */
	INFO(OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO),

	/**
	 * Warnings and above, such as nodes not placed on the requested execution provider.
	 */
	WARNING(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING),

	/**
	 * Errors and above, such as a CUDA library that cannot be loaded.
	 */
	ERROR(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR),

	/**
	 * Only failures that end the process.
	 */
	FATAL(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);

	private final OrtLoggingLevel level;

	OrtLogLevel(OrtLoggingLevel level) {
		this.level = level;
	}

	/**
	 * ONNX Runtime's own constant.
	 * @return the level
	 */
	public OrtLoggingLevel toOrt() {
		return this.level;
	}

}
