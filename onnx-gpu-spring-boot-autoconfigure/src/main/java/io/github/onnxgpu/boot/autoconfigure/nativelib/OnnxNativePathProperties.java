package io.github.onnxgpu.boot.autoconfigure.nativelib;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;

/**
 * Configuration properties of a native library folder of the user's own, such as ONNX
 * Runtime's libraries built for CUDA 13. Read before the application context exists, so
 * only sources seen by config data count (application.yml, profiles, the command line,
 * system properties and environment variables).
 *
 * @since 0.1.0
 */
@ConfigurationProperties(OnnxNativePathProperties.PREFIX)
public class OnnxNativePathProperties {

	/**
	 * The prefix of the native folder's properties.
	 */
	public static final String PREFIX = OnnxProperties.PREFIX + ".native";

	/**
	 * Folder ONNX Runtime loads its native libraries from instead of the jar's, such as
	 * the lib folder of ONNX Runtime's release archive built for CUDA 13, with the jar's
	 * libonnxruntime4j_jni beside it. Both must be of the jar's ONNX Runtime version
	 * (checked at start-up from their ELF symbol versions). Wins over the native library
	 * cache. Unset: the jar's libraries, through the cache.
	 */
	private @Nullable Path path;

	public @Nullable Path getPath() {
		return this.path;
	}

	public void setPath(@Nullable Path path) {
		this.path = path;
	}

}
