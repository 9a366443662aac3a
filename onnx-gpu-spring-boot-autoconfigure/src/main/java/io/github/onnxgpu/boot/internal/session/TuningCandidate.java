package io.github.onnxgpu.boot.internal.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.onnxgpu.boot.internal.provider.CudaSettings;
import io.github.onnxgpu.boot.internal.provider.TensorrtSettings;

/**
 * One set of settings that tuning tries: the model's own settings with the candidate's
 * overrides applied.
 *
 * @param settings the overrides as written, such as {@code session.intra-op-threads=2},
 * for display and for the cache key
 * @param cuda the CUDA provider settings with the overrides applied
 * @param tensorrt the TensorRT provider settings with the overrides applied
 * @param session the session options with the overrides applied
 */
public record TuningCandidate(Map<String, String> settings, CudaSettings cuda, TensorrtSettings tensorrt,
		SessionSettings session) {

	public TuningCandidate {
		settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
	}

	@Override
	public String toString() {
		return this.settings.toString();
	}

}
