package io.github.onnxgpu.boot.internal.provider;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The TensorRT provider options of one model as they are sent, with its engine cache.
 *
 * @param options every option sent, by ONNX Runtime key
 * @param engineCacheDirectory the engine cache folder, or {@code null} when the cache is
 * off
 * @param cacheState what the engine cache held at start-up
 */
public record TensorrtSetup(Map<String, String> options, @Nullable Path engineCacheDirectory,
		TensorrtCacheState cacheState) {

	public TensorrtSetup {
		options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
	}

}
