package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * A cache the starter keeps between starts, in a folder of its own: the native libraries
 * ({@code onnx.native.cache}), TensorRT's built engines and layer timings
 * ({@code onnx.tensorrt.engine-cache}, {@code onnx.tensorrt.timing-cache}, and per model
 * under {@code onnx.models.<name>.tensorrt}) and a model's tuning choice
 * ({@code onnx.models.<name>.tuning.cache}). The initialiser of {@code enabled} is the
 * default; a model's TensorRT caches start unset ({@code null}) and inherit the shared
 * ones (see {@link Inheritance}).
 *
 * @since 0.1.0
 */
public class CacheProperties {

	/**
	 * Whether the cache is used and kept between starts.
	 */
	private @Nullable Boolean enabled = true;

	/**
	 * Folder of the cache. Defaults to a folder named after the cache (tensorrt, tuning,
	 * or for the native libraries one named after the ONNX Runtime version and a checksum
	 * of the libraries) under ~/.cache/onnx-gpu-spring-boot/, or under
	 * $XDG_CACHE_HOME/onnx-gpu-spring-boot/ when XDG_CACHE_HOME is set.
	 */
	private @Nullable Path directory;

	/**
	 * A cache whose every setting is unset, for a model whose unset values inherit the
	 * shared cache's.
	 * @return a cache with every setting unset
	 */
	static CacheProperties unset() {
		CacheProperties cache = new CacheProperties();
		cache.enabled = null;
		return cache;
	}

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Path getDirectory() {
		return this.directory;
	}

	public void setDirectory(@Nullable Path directory) {
		this.directory = directory;
	}

}
