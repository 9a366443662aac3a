package io.github.onnxgpu.boot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the native library cache, which unpacks ONNX Runtime's
 * native libraries once instead of on every start. Read before the application context
 * exists, so only sources seen by config data count (application.yml, profiles, the
 * command line, system properties and environment variables). Enabled, ONNX Runtime's
 * native libraries are unpacked into a lasting cache folder and loaded from there, rather
 * than into a new temporary folder on every start. The folder is a new or empty one,
 * which then belongs to the cache alone: the cache replaces it only when it created it,
 * and a folder holding anything else, or a file, is left alone and the cache is not used.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(OnnxNativeCacheProperties.PREFIX)
public class OnnxNativeCacheProperties extends CacheProperties {

	/**
	 * The prefix of the native library cache's properties.
	 */
	public static final String PREFIX = OnnxProperties.PREFIX + ".native.cache";

}
