package io.github.onnxgpu.boot.cuda;

import ai.onnxruntime.OrtProvider;
import org.jspecify.annotations.Nullable;

/**
 * The execution provider a session really runs on.
 *
 * @param requested the provider the configuration asked for
 * @param active the provider that runs the session
 * @param fallbackReason why the requested provider is not in use, {@code null} when it is
 * @since 0.1.0
 */
public record ProviderChoice(OrtProvider requested, OrtProvider active, @Nullable String fallbackReason) {

	/**
	 * Whether the session runs on another provider than requested.
	 * @return whether a fallback happened
	 */
	public boolean fellBack() {
		return this.fallbackReason != null;
	}

}
