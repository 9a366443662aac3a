package io.github.onnxgpu.boot.internal.startup;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Bounds of a download at start-up ({@code onnx.download.*}).
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
	 * The connect timeout unless configured: a server that accepts connections does so in
	 * milliseconds, even across regions; seconds more are a wrong host or a firewall that
	 * drops packets.
	 */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The read timeout unless configured: long enough for an object store or a proxy to
	 * look up a large file before its first byte, far shorter than a silence that means
	 * the server hangs.
	 */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * The overall bound unless configured: a 1.5 GB model at 20 Mbit/s takes 10 minutes,
	 * the default warmup timeout; a server that trickles bytes is stopped then.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

	/**
	 * The properties of these settings.
	 */
	public static final String PREFIX = "onnx.download.";

	/**
	 * The default bounds, downloading to the JVM's temporary folder.
	 * @return the settings
	 */
	public static DownloadSettings defaults() {
		return new DownloadSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_TIMEOUT, null);
	}

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
