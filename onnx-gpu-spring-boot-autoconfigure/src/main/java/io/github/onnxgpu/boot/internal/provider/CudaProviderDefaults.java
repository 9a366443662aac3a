package io.github.onnxgpu.boot.internal.provider;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CUDA provider options in force when a key is not sent: ONNX Runtime's own defaults,
 * which its Java API cannot report, as its CUDA provider declares them.
 */
public final class CudaProviderDefaults {

	private static final Map<String, String> DEFAULTS = defaults();

	private CudaProviderDefaults() {
	}

	/**
	 * Every option in force: ONNX Runtime's defaults overlaid with what was sent.
	 * @param sent the options sent to the provider
	 * @return the effective options
	 */
	public static Map<String, String> effective(Map<String, String> sent) {
		Map<String, String> effective = new LinkedHashMap<>(DEFAULTS);
		effective.putAll(sent);
		return effective;
	}

	private static Map<String, String> defaults() {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("device_id", "0");
		defaults.put("cudnn_conv_algo_search", "EXHAUSTIVE");
		defaults.put("cudnn_conv_use_max_workspace", "1");
		defaults.put("cudnn_conv1d_pad_to_nc1d", "0");
		// SIZE_MAX: no limit
		defaults.put("gpu_mem_limit", "18446744073709551615");
		defaults.put("arena_extend_strategy", "kNextPowerOfTwo");
		defaults.put("do_copy_in_default_stream", "1");
		defaults.put("use_tf32", "1");
		defaults.put("prefer_nhwc", "0");
		defaults.put("enable_cuda_graph", "0");
		defaults.put("enable_skip_layer_norm_strict_mode", "0");
		defaults.put("use_ep_level_unified_stream", "0");
		defaults.put("tunable_op_enable", "0");
		defaults.put("tunable_op_tuning_enable", "0");
		defaults.put("tunable_op_max_tuning_duration_ms", "0");
		defaults.put("sdpa_kernel", "0");
		defaults.put("fuse_conv_bias", "0");
		return defaults;
	}

}
