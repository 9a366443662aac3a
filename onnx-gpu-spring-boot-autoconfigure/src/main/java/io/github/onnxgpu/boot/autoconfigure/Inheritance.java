package io.github.onnxgpu.boot.autoconfigure;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The one rule for per-model settings: a model's own value, else the value shared by all
 * models. A shared setting with a default has it as the initialiser of its field in
 * {@link OnnxProperties} (so the configuration metadata shows it), and the model's field
 * is {@code null} when unset; a provider option without a default is {@code null} in
 * both, and unset everywhere means ONNX Runtime's own default.
 */
final class Inheritance {

	private Inheritance() {
	}

	/**
	 * Resolve a setting that both the model and the shared options may leave unset, such
	 * as a provider option.
	 * @param <O> the options type, such as {@link CudaOptions}
	 * @param <T> the setting's type
	 * @param model the model's options
	 * @param shared the options shared by all models
	 * @param setting reads the setting, {@code null} when unset
	 * @return the value in force, {@code null} when neither sets it
	 */
	static <O, T> @Nullable T resolve(O model, O shared, Function<? super O, ? extends @Nullable T> setting) {
		return resolve(setting.apply(model), setting.apply(shared));
	}

	/**
	 * Resolve a setting that has a default.
	 * @param <T> the setting's type
	 * @param own the model's value, {@code null} when unset
	 * @param shared the value shared by all models: the configured one or the default
	 * @return the value in force
	 */
	static <T extends @Nullable Object> T resolve(@Nullable T own, T shared) {
		return (own != null) ? own : shared;
	}

}
