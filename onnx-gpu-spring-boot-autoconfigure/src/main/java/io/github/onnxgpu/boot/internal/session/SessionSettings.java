package io.github.onnxgpu.boot.internal.session;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.ExecutionMode;
import io.github.onnxgpu.boot.model.OptimizationLevel;

/**
 * ONNX Runtime session options of one model. {@code null} values keep ONNX Runtime's
 * defaults.
 *
 * @param intraOpThreads threads inside an operator
 * @param interOpThreads threads across operators
 * @param executionMode the execution mode
 * @param optimizationLevel the graph optimization level
 * @param memoryPattern whether memory pattern planning is on
 * @param cpuArena whether the CPU arena is on
 * @param optimizedModelPath where the optimized graph is written
 * @param config raw session configuration entries
 */
public record SessionSettings(@Nullable Integer intraOpThreads, @Nullable Integer interOpThreads,
		@Nullable ExecutionMode executionMode, @Nullable OptimizationLevel optimizationLevel,
		@Nullable Boolean memoryPattern, @Nullable Boolean cpuArena, @Nullable String optimizedModelPath,
		Map<String, String> config) {

	public SessionSettings {
		config = Map.copyOf(config);
	}

	/**
	 * Settings that keep every ONNX Runtime default.
	 * @return default settings
	 */
	public static SessionSettings defaults() {
		return new SessionSettings(null, null, null, null, null, null, null, Map.of());
	}

	void applyTo(SessionOptions options) throws OrtException {
		if (this.intraOpThreads != null) {
			options.setIntraOpNumThreads(this.intraOpThreads);
		}
		if (this.interOpThreads != null) {
			options.setInterOpNumThreads(this.interOpThreads);
		}
		if (this.executionMode != null) {
			options.setExecutionMode(ortValue(this.executionMode));
		}
		if (this.optimizationLevel != null) {
			options.setOptimizationLevel(ortValue(this.optimizationLevel));
		}
		if (this.memoryPattern != null) {
			options.setMemoryPatternOptimization(this.memoryPattern);
		}
		if (this.cpuArena != null) {
			options.setCPUArenaAllocator(this.cpuArena);
		}
		if (this.optimizedModelPath != null && !this.optimizedModelPath.isEmpty()) {
			options.setOptimizedModelFilePath(this.optimizedModelPath);
		}
		for (Map.Entry<String, String> entry : this.config.entrySet()) {
			options.addConfigEntry(entry.getKey(), entry.getValue());
		}
	}

	/**
	 * The settings that were set, by ONNX Runtime-like names, for display.
	 * @return the settings in force that differ from ONNX Runtime's defaults
	 */
	public Map<String, Object> describe() {
		Map<String, Object> described = new LinkedHashMap<>();
		putIfSet(described, "intra_op_threads", this.intraOpThreads);
		putIfSet(described, "inter_op_threads", this.interOpThreads);
		putIfSet(described, "execution_mode",
				(this.executionMode != null) ? this.executionMode.name().toLowerCase() : null);
		putIfSet(described, "optimization_level",
				(this.optimizationLevel != null) ? this.optimizationLevel.name().toLowerCase() : null);
		putIfSet(described, "memory_pattern", this.memoryPattern);
		putIfSet(described, "cpu_arena", this.cpuArena);
		putIfSet(described, "optimized_model_path", this.optimizedModelPath);
		described.putAll(this.config);
		return described;
	}

	private static void putIfSet(Map<String, Object> target, String key, @Nullable Object value) {
		if (value != null) {
			target.put(key, value);
		}
	}

	private static SessionOptions.ExecutionMode ortValue(ExecutionMode mode) {
		return switch (mode) {
			case SEQUENTIAL -> SessionOptions.ExecutionMode.SEQUENTIAL;
			case PARALLEL -> SessionOptions.ExecutionMode.PARALLEL;
		};
	}

	private static SessionOptions.OptLevel ortValue(OptimizationLevel level) {
		return switch (level) {
			case NONE -> SessionOptions.OptLevel.NO_OPT;
			case BASIC -> SessionOptions.OptLevel.BASIC_OPT;
			case EXTENDED -> SessionOptions.OptLevel.EXTENDED_OPT;
			case ALL -> SessionOptions.OptLevel.ALL_OPT;
		};
	}

}
