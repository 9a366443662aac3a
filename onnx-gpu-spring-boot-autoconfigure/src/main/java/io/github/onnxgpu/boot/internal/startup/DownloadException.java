package io.github.onnxgpu.boot.internal.startup;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * A download that failed or ran out of time, with the property that bounds it and the
 * fix. The problem never shows the URL: the caller names what was downloaded, masked.
 *
 * @since 0.1.0
 */
public class DownloadException extends IOException {

	private final @Nullable String property;

	private final @Nullable String fix;

	private final boolean missing;

	DownloadException(String problem, @Nullable String property, @Nullable String fix, boolean missing,
			@Nullable Throwable cause) {
		super(problem, cause);
		this.property = property;
		this.fix = fix;
		this.missing = missing;
	}

	/**
	 * The property at fault.
	 * @return the property, such as {@code onnx.download.read-timeout}, or {@code null}
	 * when it is the location itself
	 */
	public @Nullable String getProperty() {
		return this.property;
	}

	/**
	 * What to do about it.
	 * @return the fix, {@code null} when it is to correct the location
	 */
	public @Nullable String getFix() {
		return this.fix;
	}

	/**
	 * Whether the server said there is no such file (HTTP 404 or 410).
	 * @return whether the file is missing
	 */
	public boolean isMissing() {
		return this.missing;
	}

}
