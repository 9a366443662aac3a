package io.github.onnxgpu.boot.internal.provider;

import java.util.List;

import ai.onnxruntime.OrtProvider;
import org.jspecify.annotations.Nullable;

/**
 * The execution provider a session really runs on, and why not the one requested.
 *
 * @param requested the provider the configuration asked for first
 * @param active the provider that runs the session
 * @param fallbackReason why the requested provider is not in use, as one summary,
 * {@code null} when it is
 * @param fallbackReasons every step of the provider chain that failed, in order, each as
 * {@code PROVIDER: reason}; empty when none failed
 */
public record ProviderChoice(OrtProvider requested, OrtProvider active, @Nullable String fallbackReason,
		List<String> fallbackReasons) {

	public ProviderChoice {
		fallbackReasons = List.copyOf(fallbackReasons);
	}

	/**
	 * A choice where the first provider asked for is the one in use.
	 * @param provider the provider
	 * @return the choice
	 */
	public static ProviderChoice as(OrtProvider provider) {
		return new ProviderChoice(provider, provider, null, List.of());
	}

	/**
	 * Whether the session runs on another provider than requested.
	 * @return whether a fallback happened
	 */
	public boolean fellBack() {
		return this.fallbackReason != null;
	}

}
