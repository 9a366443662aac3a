package io.github.onnxgpu.boot.internal.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.onnxgpu.boot.model.CudaFallback;

/**
 * The CUDA execution provider settings of one model: whether to try CUDA, what to do when
 * it cannot be added, and the provider options by ONNX Runtime key name, as they are
 * sent.
 *
 * @param enabled whether to try the CUDA provider
 * @param fallback what to do when it cannot be added
 * @param deviceId the CUDA device index
 * @param options provider options by ONNX Runtime key, only those set by the user
 */
public record CudaSettings(boolean enabled, CudaFallback fallback, int deviceId, Map<String, String> options) {

	public CudaSettings {
		options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
	}

	/**
	 * Settings that never try CUDA.
	 * @return disabled settings
	 */
	public static CudaSettings disabled() {
		return new CudaSettings(false, CudaFallback.FAIL, 0, Map.of());
	}

}
