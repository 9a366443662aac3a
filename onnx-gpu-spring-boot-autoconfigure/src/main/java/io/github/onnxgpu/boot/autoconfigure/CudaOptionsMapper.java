package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.provider.CudaSettings;
import io.github.onnxgpu.boot.model.ArenaExtendStrategy;
import io.github.onnxgpu.boot.model.CudaFallback;
import io.github.onnxgpu.boot.model.CudnnConvAlgoSearch;

/**
 * Maps the typed {@code onnx.cuda.*} properties, with a model's overrides, to ONNX
 * Runtime's CUDA provider option names and value spellings. Only options that are set are
 * mapped, so ONNX Runtime's defaults stay in force otherwise.
 */
final class CudaOptionsMapper {

	private final String modelName;

	private final OnnxProperties.Cuda shared;

	private final OnnxModelProperties.Cuda model;

	private final Map<String, String> options = new LinkedHashMap<>();

	private CudaOptionsMapper(String modelName, OnnxProperties.Cuda shared, OnnxModelProperties.Cuda model) {
		this.modelName = modelName;
		this.shared = shared;
		this.model = model;
	}

	static CudaSettings map(String modelName, OnnxProperties.Cuda shared, OnnxModelProperties.Cuda model) {
		return new CudaOptionsMapper(modelName, shared, model).map();
	}

	private CudaSettings map() {
		Integer deviceId = pick(CudaOptions::getDeviceId);
		if (deviceId != null) {
			requireNotNegative(deviceId, "device-id", CudaOptions::getDeviceId, "0 for the first GPU");
			this.options.put("device_id", Integer.toString(deviceId));
		}
		put("cudnn_conv_algo_search", CudaOptions::getCudnnConvAlgoSearch, CudnnConvAlgoSearch::ortValue);
		put("cudnn_conv_use_max_workspace", CudaOptions::getCudnnConvUseMaxWorkspace, CudaOptionsMapper::flag);
		put("cudnn_conv1d_pad_to_nc1d", CudaOptions::getCudnnConv1dPadToNc1d, CudaOptionsMapper::flag);
		DataSize gpuMemLimit = pick(CudaOptions::getGpuMemLimit);
		if (gpuMemLimit != null) {
			requireNotNegative(gpuMemLimit.toBytes(), "gpu-mem-limit", CudaOptions::getGpuMemLimit,
					"a positive size such as 4GB, or leave it unset for no limit");
			this.options.put("gpu_mem_limit", Long.toString(gpuMemLimit.toBytes()));
		}
		put("arena_extend_strategy", CudaOptions::getArenaExtendStrategy, ArenaExtendStrategy::ortValue);
		put("do_copy_in_default_stream", CudaOptions::getDoCopyInDefaultStream, CudaOptionsMapper::flag);
		put("use_tf32", CudaOptions::getUseTf32, CudaOptionsMapper::flag);
		put("prefer_nhwc", CudaOptions::getPreferNhwc, CudaOptionsMapper::flag);
		put("enable_cuda_graph", CudaOptions::getEnableCudaGraph, CudaOptionsMapper::flag);
		rejectCudaGraph(CudaOptions::getEnableCudaGraph, "enable-cuda-graph");
		put("enable_skip_layer_norm_strict_mode", CudaOptions::getEnableSkipLayerNormStrictMode,
				CudaOptionsMapper::flag);
		put("use_ep_level_unified_stream", CudaOptions::getUseEpLevelUnifiedStream, CudaOptionsMapper::flag);
		put("tunable_op_enable", CudaOptions::getTunableOpEnable, CudaOptionsMapper::flag);
		put("tunable_op_tuning_enable", CudaOptions::getTunableOpTuningEnable, CudaOptionsMapper::flag);
		Duration tuningDuration = pick(CudaOptions::getTunableOpMaxTuningDuration);
		if (tuningDuration != null) {
			requireNotNegative(tuningDuration.toMillis(), "tunable-op-max-tuning-duration",
					CudaOptions::getTunableOpMaxTuningDuration, "a duration such as 500ms, or 0ms for no limit");
			this.options.put("tunable_op_max_tuning_duration_ms", Long.toString(tuningDuration.toMillis()));
		}
		Integer sdpaKernel = pick(CudaOptions::getSdpaKernel);
		if (sdpaKernel != null) {
			requireNotNegative(sdpaKernel, "sdpa-kernel", CudaOptions::getSdpaKernel, "0 to let ONNX Runtime choose");
			this.options.put("sdpa_kernel", Integer.toString(sdpaKernel));
		}
		put("fuse_conv_bias", CudaOptions::getFuseConvBias, CudaOptionsMapper::flag);
		// raw keys last, model over shared, so they can override a typed key
		this.options.putAll(this.shared.getOptions());
		this.options.putAll(this.model.getOptions());
		rejectRawCudaGraph();
		boolean enabled = Inheritance.resolve(this.model.getEnabled(), this.shared.isEnabled());
		CudaFallback fallback = Inheritance.resolve(this.model.getFallback(), this.shared.getFallback());
		int device = (deviceId != null) ? deviceId : 0;
		return new CudaSettings(enabled, fallback, device, this.options);
	}

	private void rejectCudaGraph(Function<CudaOptions, Boolean> getter, String key) {
		if (Boolean.TRUE.equals(pick(getter))) {
			boolean perModel = getter.apply(this.model) != null;
			String property = perModel ? OnnxModelException.modelProperty(this.modelName, "cuda." + key)
					: "onnx.cuda." + key;
			throw new OnnxModelException(this.modelName, property, CudaGraphs.WHY_NOT,
					"remove " + property + " or set it to false (" + CudaGraphs.WHAT_INSTEAD + ")");
		}
	}

	private void rejectRawCudaGraph() {
		String value = this.options.get(CudaGraphs.CUDA_KEY);
		if (value != null && !value.equals("0") && !value.equalsIgnoreCase("false")) {
			String property = this.model.getOptions().containsKey(CudaGraphs.CUDA_KEY)
					? OnnxModelException.modelProperty(this.modelName, "cuda.options." + CudaGraphs.CUDA_KEY)
					: "onnx.cuda.options." + CudaGraphs.CUDA_KEY;
			throw new OnnxModelException(this.modelName, property, CudaGraphs.WHY_NOT,
					"remove " + property + " (" + CudaGraphs.WHAT_INSTEAD + ")");
		}
	}

	private <T> void put(String key, Function<CudaOptions, T> getter, Function<T, String> spelling) {
		T value = pick(getter);
		if (value != null) {
			this.options.put(key, spelling.apply(value));
		}
	}

	private <T> @Nullable T pick(Function<CudaOptions, T> getter) {
		// no default: an option set nowhere keeps ONNX Runtime's own
		return Inheritance.resolve(this.model, this.shared, getter);
	}

	private void requireNotNegative(long value, String key, Function<CudaOptions, ?> getter, String example) {
		if (value < 0) {
			boolean perModel = getter.apply(this.model) != null;
			String property = perModel ? OnnxModelException.modelProperty(this.modelName, "cuda." + key)
					: "onnx.cuda." + key;
			throw new OnnxModelException(this.modelName, property, key + " must not be negative but is " + value,
					"set " + property + " to " + example);
		}
	}

	private static String flag(Boolean value) {
		return value ? "1" : "0";
	}

}
