package io.github.onnxgpu.boot.autoconfigure.nativelib;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;

/**
 * Configuration properties of the native library cache, which unpacks ONNX Runtime's
 * native libraries once instead of on every start. Read before the application context
 * exists, so only sources seen by config data count (application.yml, profiles, the
 * command line, system properties and environment variables).
 *
 * @since 0.1.0
 */
@ConfigurationProperties(OnnxNativeCacheProperties.PREFIX)
public class OnnxNativeCacheProperties {

	/**
	 * The prefix of the native library cache's properties.
	 */
	public static final String PREFIX = OnnxProperties.PREFIX + ".native.cache";

	/**
	 * Whether to unpack ONNX Runtime's native libraries into a lasting cache folder and
	 * load them from there, rather than into a new temporary folder on every start.
	 */
	private boolean enabled = true;

	/**
	 * Folder to unpack the native libraries into: a new or empty folder, which then
	 * belongs to the cache alone. The cache replaces it only when it created it; a folder
	 * holding anything else, or a file, is left alone and the cache is not used. Defaults
	 * to a folder under ~/.cache/onnx-gpu-spring-boot/ named after the ONNX Runtime
	 * version and a checksum of the libraries of the current platform.
	 */
	private @Nullable Path directory;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Path getDirectory() {
		return this.directory;
	}

	public void setDirectory(@Nullable Path directory) {
		this.directory = directory;
	}

}
