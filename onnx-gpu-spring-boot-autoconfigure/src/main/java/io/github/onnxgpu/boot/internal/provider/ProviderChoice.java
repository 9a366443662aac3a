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
 * @param executionProvider the execution provider a model asked for by name
 * ({@code onnx.models.<name>.execution-provider.name}) and the devices it was given, as
 * ONNX Runtime reports them, {@code null} for the typed providers (CUDA, TensorRT, CPU)
 */
public record ProviderChoice(OrtProvider requested, OrtProvider active, @Nullable String fallbackReason,
		List<String> fallbackReasons, @Nullable NamedProvider executionProvider) {

	public ProviderChoice {
		fallbackReasons = List.copyOf(fallbackReasons);
	}

	public ProviderChoice(OrtProvider requested, OrtProvider active, @Nullable String fallbackReason,
			List<String> fallbackReasons) {
		this(requested, active, fallbackReason, fallbackReasons, null);
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

	/**
	 * The name of the provider that runs the session: the execution provider's own name
	 * when a model asked for one by name and got it, else the typed provider's.
	 * @return the name
	 */
	public String activeName() {
		return (this.executionProvider != null && this.executionProvider.active()) ? this.executionProvider.name()
				: this.active.name();
	}

	/**
	 * This choice with the compiled model the session was created from.
	 * @param compiled the compiled model
	 * @return the new choice
	 */
	public ProviderChoice withCompiled(CompiledModelCache.Prepared compiled) {
		NamedProvider named = this.executionProvider;
		if (named == null) {
			return this;
		}
		return new ProviderChoice(this.requested, this.active, this.fallbackReason, this.fallbackReasons,
				new NamedProvider(named.name(), named.devices(), named.active(), compiled));
	}

	/**
	 * An execution provider asked for by name.
	 *
	 * @param name the provider's name as ONNX Runtime reports it
	 * @param devices the devices it was given, empty when none matched
	 * @param active whether it runs the session (not fallen back)
	 * @param compiled the compiled (EP-context) model the session was created from,
	 * {@code null} when the model is not compiled
	 */
	public record NamedProvider(String name, List<ExecutionDevice> devices, boolean active,
			CompiledModelCache.@Nullable Prepared compiled) {

		public NamedProvider {
			devices = List.copyOf(devices);
		}

		public NamedProvider(String name, List<ExecutionDevice> devices, boolean active) {
			this(name, devices, active, null);
		}

	}

}
