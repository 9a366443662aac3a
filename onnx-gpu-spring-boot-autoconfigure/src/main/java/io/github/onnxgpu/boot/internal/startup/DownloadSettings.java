package io.github.onnxgpu.boot.internal.startup;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Bounds of a download at start-up ({@code onnx.download.*}, whose defaults are those of
 * the bound properties).
 *
 * @param connectTimeout how long connecting to the server may take
 * @param readTimeout how long the server may stay silent, before its answer or between
 * two parts of it
 * @param timeout how long the whole download may take
 * @param directory where downloads are written while they are needed, {@code null} for
 * the JVM's temporary folder
 */
public record DownloadSettings(Duration connectTimeout, Duration readTimeout, Duration timeout,
		@Nullable Path directory) {

	/**
	 * The properties of these settings.
	 */
	public static final String PREFIX = "onnx.download.";

	/**
	 * Settings from {@code onnx.download.*}, checked: each bound must be positive.
	 * @param connectTimeout the configured connect timeout
	 * @param readTimeout the configured read timeout
	 * @param timeout the configured overall bound
	 * @param directory the configured directory, {@code null} for the JVM's temporary
	 * folder
	 * @return the settings
	 * @throws OnnxModelException naming the property when a bound is not positive
	 */
	public static DownloadSettings checked(@Nullable Duration connectTimeout, @Nullable Duration readTimeout,
			@Nullable Duration timeout, @Nullable Path directory) {
		return new DownloadSettings(positive("connect-timeout", connectTimeout, "10s"),
				positive("read-timeout", readTimeout, "30s"), positive("timeout", timeout, "10m"), directory);
	}

	private static Duration positive(String name, @Nullable Duration value, String example) {
		if (value == null || value.isNegative() || value.isZero()) {
			String property = PREFIX + name;
			throw new OnnxModelException(null, property, "the download bound must be positive but is " + value,
					"set " + property + " to a duration such as " + example);
		}
		return value;
	}

}
