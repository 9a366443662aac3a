package io.github.onnxgpu.boot.autoconfigure;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The one rule for per-model settings: a model's own value, else the value shared by all
 * models, else the starter's default.
 */
final class Inheritance {

	private Inheritance() {
	}

	/**
	 * Resolve a setting.
	 * @param <O> the options type, such as {@link CudaOptions}
	 * @param <T> the setting's type
	 * @param model the model's options
	 * @param shared the options shared by all models
	 * @param setting reads the setting, {@code null} when unset
	 * @param defaultValue the value when neither sets it, or {@code null} to leave it
	 * unset
	 * @return the value in force
	 */
	static <O, T extends @Nullable Object> T resolve(O model, O shared,
			Function<? super O, ? extends @Nullable T> setting, T defaultValue) {
		T own = setting.apply(model);
		if (own != null) {
			return own;
		}
		T inherited = setting.apply(shared);
		return (inherited != null) ? inherited : defaultValue;
	}

	/**
	 * Resolve a setting shared by all models.
	 * @param <O> the options type
	 * @param <T> the setting's type
	 * @param shared the shared options
	 * @param setting reads the setting, {@code null} when unset
	 * @param defaultValue the value when unset
	 * @return the value in force
	 */
	static <O, T> T shared(O shared, Function<? super O, ? extends @Nullable T> setting, T defaultValue) {
		T value = setting.apply(shared);
		return (value != null) ? value : defaultValue;
	}

}
