package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.startup.DownloadSettings;

/**
 * Turns {@code onnx.download.*} into checked {@link DownloadSettings}.
 */
final class DownloadSettingsMapper {

	private DownloadSettingsMapper() {
	}

	static DownloadSettings map(OnnxProperties.Download download) {
		return new DownloadSettings(positive("connect-timeout", download.getConnectTimeout(), "10s"),
				positive("read-timeout", download.getReadTimeout(), "30s"),
				positive("timeout", download.getTimeout(), "10m"), download.getDirectory());
	}

	private static Duration positive(String name, Duration value, String example) {
		if (value == null || value.isNegative() || value.isZero()) {
			String property = DownloadSettings.PREFIX + name;
			throw new OnnxModelException(null, property, "the download bound must be positive but is " + value,
					"set " + property + " to a duration such as " + example);
		}
		return value;
	}

}
