package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How a model is reloaded.
 *
 * @param poll how often its {@code file:} location is checked for a new version,
 * {@code null} when it is not polled
 * @param allowSignatureChange whether a new version may have other inputs or outputs than
 * the running one
 */
public record ReloadSettings(@Nullable Duration poll, boolean allowSignatureChange) {

	/**
	 * The settings of a model reloaded only on request, with the same inputs and outputs.
	 * @return the settings
	 */
	public static ReloadSettings onRequest() {
		return new ReloadSettings(null, false);
	}

}
