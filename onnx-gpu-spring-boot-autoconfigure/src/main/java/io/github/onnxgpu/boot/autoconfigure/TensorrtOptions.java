package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.model.ProfileShapes;

/**
 * Settings of ONNX Runtime's TensorRT execution provider, under {@code onnx.tensorrt} for
 * all models and under {@code onnx.models.<name>.tensorrt} for one. Every field is
 * {@code null} when unset: a model's unset value inherits the shared one (see
 * {@link Inheritance}). Provider options left unset everywhere keep ONNX Runtime's own
 * defaults: only options that are set, or that the starter derives (caches, profiles),
 * are sent.
 *
 * @since 0.1.0
 */
public abstract class TensorrtOptions {

	static final boolean DEFAULT_ENABLED = false;

	static final boolean DEFAULT_ENGINE_CACHE_ENABLED = true;

	static final boolean DEFAULT_TIMING_CACHE_ENABLED = true;

	static final ProfileShapes DEFAULT_PROFILE_SHAPES = ProfileShapes.AUTO;

	/**
	 * Whether to try the TensorRT execution provider first, with CUDA registered after it
	 * for the nodes TensorRT does not take.
	 */
	private @Nullable Boolean enabled;

	/**
	 * Whether TensorRT may build FP16 kernels. ONNX Runtime's default is false.
	 */
	private @Nullable Boolean fp16;

	/**
	 * Largest workspace TensorRT may use while building and running an engine. ONNX
	 * Runtime's default is the GPU's memory.
	 */
	private @Nullable DataSize maxWorkspaceSize;

	/**
	 * TensorRT builder optimization level, 0 (fast build) to 5 (longest build, fastest
	 * engine). ONNX Runtime's default is 3.
	 */
	private @Nullable Integer builderOptimizationLevel;

	private final Cache engineCache = new Cache();

	private final Cache timingCache = new Cache();

	/**
	 * Where the optimization profile of inputs with dynamic dimensions comes from when no
	 * explicit profile is configured: auto derives it from the warmup shapes.
	 */
	private @Nullable ProfileShapes profileShapes;

	/**
	 * Raw TensorRT provider options passed as given, by ONNX Runtime key name, for keys
	 * this starter does not map. They override typed and derived options with the same
	 * key.
	 */
	private Map<String, String> options = new LinkedHashMap<>();

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Boolean getFp16() {
		return this.fp16;
	}

	public void setFp16(@Nullable Boolean fp16) {
		this.fp16 = fp16;
	}

	public @Nullable DataSize getMaxWorkspaceSize() {
		return this.maxWorkspaceSize;
	}

	public void setMaxWorkspaceSize(@Nullable DataSize maxWorkspaceSize) {
		this.maxWorkspaceSize = maxWorkspaceSize;
	}

	public @Nullable Integer getBuilderOptimizationLevel() {
		return this.builderOptimizationLevel;
	}

	public void setBuilderOptimizationLevel(@Nullable Integer builderOptimizationLevel) {
		this.builderOptimizationLevel = builderOptimizationLevel;
	}

	public Cache getEngineCache() {
		return this.engineCache;
	}

	public Cache getTimingCache() {
		return this.timingCache;
	}

	public @Nullable ProfileShapes getProfileShapes() {
		return this.profileShapes;
	}

	public void setProfileShapes(@Nullable ProfileShapes profileShapes) {
		this.profileShapes = profileShapes;
	}

	public Map<String, String> getOptions() {
		return this.options;
	}

	public void setOptions(Map<String, String> options) {
		this.options = options;
	}

	/**
	 * A TensorRT cache: built engines, or layer timings that make later builds faster.
	 */
	public static class Cache {

		/**
		 * Whether the cache is kept between starts.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Folder under which each model gets a folder keyed by its SHA-256, the ONNX
		 * Runtime version and the settings that change the engine. Defaults to
		 * 'onnx-gpu-spring-boot/tensorrt' under $XDG_CACHE_HOME or ~/.cache.
		 */
		private @Nullable Path directory;

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

}
