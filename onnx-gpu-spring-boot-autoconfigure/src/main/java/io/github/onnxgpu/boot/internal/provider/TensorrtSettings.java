package io.github.onnxgpu.boot.internal.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;
import io.github.onnxgpu.boot.model.ProfileShapes;

/**
 * The TensorRT execution provider settings of one model, as configured: whether to try
 * TensorRT first, the provider options the user set (by ONNX Runtime key), the caches and
 * where the optimization profile comes from. {@link #prepare} completes them with what
 * needs the model: the cache folders keyed by the model's SHA-256 and the profile derived
 * from its warmup samples.
 *
 * @param enabled whether to try TensorRT before CUDA
 * @param deviceId the CUDA device index
 * @param options provider options set by the user, by ONNX Runtime key, typed ones first
 * and raw ones last
 * @param engineCache whether engines are kept between starts
 * @param engineCacheRoot the folder under which each model gets its engine folder
 * @param timingCache whether layer timings are kept between starts
 * @param timingCacheRoot the folder under which each model gets its timing folder
 * @param profileShapes where the profile comes from when {@code profile} is {@code null}
 * @param profile the explicit profile, or {@code null}
 */
public record TensorrtSettings(boolean enabled, int deviceId, Map<String, String> options, boolean engineCache,
		@Nullable Path engineCacheRoot, boolean timingCache, @Nullable Path timingCacheRoot,
		ProfileShapes profileShapes, @Nullable TensorrtProfile profile) {

	/**
	 * ONNX Runtime's option that switches the engine cache on.
	 */
	public static final String ENGINE_CACHE_ENABLE = "trt_engine_cache_enable";

	/**
	 * ONNX Runtime's option for the engine cache folder.
	 */
	public static final String ENGINE_CACHE_PATH = "trt_engine_cache_path";

	/**
	 * ONNX Runtime's option that switches the timing cache on.
	 */
	public static final String TIMING_CACHE_ENABLE = "trt_timing_cache_enable";

	/**
	 * ONNX Runtime's option for the timing cache folder.
	 */
	public static final String TIMING_CACHE_PATH = "trt_timing_cache_path";

	// where caches live is not part of what the engine is built from
	private static final Set<String> NOT_IN_KEY = Set.of(ENGINE_CACHE_ENABLE, ENGINE_CACHE_PATH, TIMING_CACHE_ENABLE,
			TIMING_CACHE_PATH);

	public TensorrtSettings {
		options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
	}

	/**
	 * Settings that never try TensorRT.
	 * @return disabled settings
	 */
	public static TensorrtSettings disabled() {
		return new TensorrtSettings(false, 0, Map.of(), false, null, false, null, ProfileShapes.NONE, null);
	}

	/**
	 * The folder that holds the caches when none is configured: a lasting folder under
	 * the user's cache folder ({@code $XDG_CACHE_HOME}, else {@code ~/.cache}), not the
	 * temporary folder, which hosts empty on reboot.
	 * @return the default cache root
	 */
	public static Path defaultCacheRoot() {
		String xdg = System.getenv("XDG_CACHE_HOME");
		Path base = (xdg != null && !xdg.isBlank()) ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
		return base.resolve("onnx-gpu-spring-boot").resolve("tensorrt");
	}

	/**
	 * Complete the settings for one model: the profile (explicit, or derived from the
	 * warmup samples), then the cache folders keyed by the model, the ONNX Runtime
	 * version and every option that changes the engine.
	 * @param modelName the model
	 * @param modelSha256 the SHA-256 of the model file, asked only when a cache is on
	 * @param onnxRuntimeVersion the ONNX Runtime version
	 * @param modelShapes each input's declared dimensions, {@code -1} where dynamic
	 * @param samples the model's resolved warmup samples
	 * @return the options to send and the cache's state
	 * @throws OnnxModelException when a cache folder cannot be created
	 */
	public TensorrtSetup prepare(String modelName, Supplier<String> modelSha256, String onnxRuntimeVersion,
			Map<String, long[]> modelShapes, List<ResolvedShape> samples) {
		return prepare(modelName, modelSha256, onnxRuntimeVersion, modelShapes, samples, true);
	}

	/**
	 * The options {@link #prepare} would send, without creating the cache folders: what
	 * TensorRT would have been given where it was not even tried (no NVIDIA driver), for
	 * display.
	 * @param modelName the model
	 * @param modelSha256 the SHA-256 of the model file, asked only when a cache is on
	 * @param onnxRuntimeVersion the ONNX Runtime version
	 * @param modelShapes each input's declared dimensions, {@code -1} where dynamic
	 * @param samples the model's resolved warmup samples
	 * @return the options that would be sent
	 */
	public TensorrtSetup preview(String modelName, Supplier<String> modelSha256, String onnxRuntimeVersion,
			Map<String, long[]> modelShapes, List<ResolvedShape> samples) {
		return prepare(modelName, modelSha256, onnxRuntimeVersion, modelShapes, samples, false);
	}

	private TensorrtSetup prepare(String modelName, Supplier<String> modelSha256, String onnxRuntimeVersion,
			Map<String, long[]> modelShapes, List<ResolvedShape> samples, boolean createFolders) {
		Map<String, String> sent = new LinkedHashMap<>();
		sent.put("device_id", Integer.toString(this.deviceId));
		TensorrtProfile used = (this.profile != null) ? this.profile
				: (this.profileShapes == ProfileShapes.AUTO) ? TensorrtProfile.fromSamples(samples, modelShapes) : null;
		Map<String, String> engineOptions = new LinkedHashMap<>(sent);
		if (used != null) {
			engineOptions.putAll(used.options());
		}
		engineOptions.putAll(this.options);
		Path engineDirectory = null;
		String key = (this.engineCache || this.timingCache) ? key(modelSha256.get(), onnxRuntimeVersion, engineOptions)
				: null;
		sent.putAll(engineOptions);
		if (this.engineCache) {
			engineDirectory = userPath(ENGINE_CACHE_PATH, this.engineCacheRoot, modelName, key);
			sent.put(ENGINE_CACHE_ENABLE, "1");
			sent.put(ENGINE_CACHE_PATH, folder(modelName, "engine-cache", engineDirectory, createFolders));
		}
		if (this.timingCache) {
			Path timingDirectory = userPath(TIMING_CACHE_PATH, this.timingCacheRoot, modelName, key);
			sent.put(TIMING_CACHE_ENABLE, "1");
			sent.put(TIMING_CACHE_PATH, folder(modelName, "timing-cache", timingDirectory, createFolders));
		}
		// raw keys have the last word, the cache ones included
		sent.putAll(this.options);
		TensorrtCacheState state = !this.engineCache ? TensorrtCacheState.DISABLED
				: hasEngine(engineDirectory) ? TensorrtCacheState.HIT : TensorrtCacheState.BUILT;
		return new TensorrtSetup(sent, engineDirectory, state);
	}

	private Path userPath(String key, @Nullable Path root, String modelName, String cacheKey) {
		String raw = this.options.get(key);
		if (raw != null) {
			return Path.of(raw);
		}
		Path base = (root != null) ? root : defaultCacheRoot();
		return base.resolve(modelName).resolve(cacheKey);
	}

	/**
	 * The cache key: the model's SHA-256, the ONNX Runtime version and the options that
	 * change the engine, so that a changed model or setting never loads a stale engine.
	 * @param modelSha256 the model file's SHA-256
	 * @param onnxRuntimeVersion the ONNX Runtime version
	 * @param engineOptions the options sent, in any order
	 * @return 16 hex digits
	 */
	static String key(String modelSha256, String onnxRuntimeVersion, Map<String, String> engineOptions) {
		StringBuilder text = new StringBuilder().append(modelSha256).append('\n').append(onnxRuntimeVersion);
		new TreeMap<>(engineOptions).forEach((name, value) -> {
			if (!NOT_IN_KEY.contains(name)) {
				text.append('\n').append(name).append('=').append(value);
			}
		});
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(text.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String folder(String modelName, String property, Path directory, boolean create) {
		return (create ? create(modelName, property, directory) : directory.toAbsolutePath()).toString();
	}

	private static Path create(String modelName, String property, Path directory) {
		try {
			return Files.createDirectories(directory).toAbsolutePath();
		}
		catch (IOException | RuntimeException ex) {
			String shown = "onnx.tensorrt." + property + ".directory";
			throw new OnnxModelException(modelName, shown,
					"the TensorRT cache folder " + directory + " cannot be created: " + ex,
					"point " + shown + " at a writable folder (a volume in a container), or set onnx.tensorrt."
							+ property + ".enabled=false",
					ex);
		}
	}

	private static boolean hasEngine(@Nullable Path directory) {
		if (directory == null || !Files.isDirectory(directory)) {
			return false;
		}
		try (Stream<Path> files = Files.list(directory)) {
			// ONNX Runtime names engines <prefix>_<hash>_sm<arch>.engine
			return files.anyMatch((file) -> file.getFileName().toString().endsWith(".engine"));
		}
		catch (IOException ex) {
			return false;
		}
	}

}
