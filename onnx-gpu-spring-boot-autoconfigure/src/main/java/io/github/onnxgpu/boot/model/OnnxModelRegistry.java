package io.github.onnxgpu.boot.model;

import java.util.Collection;
import java.util.NoSuchElementException;

import org.jspecify.annotations.Nullable;

/**
 * The configured models by name, all loaded at start-up.
 *
 * @since 0.1.0
 */
public interface OnnxModelRegistry {

	/**
	 * A model by name.
	 * @param name the name
	 * @return the model
	 * @throws NoSuchElementException when there is no such model
	 */
	OnnxModel get(String name);

	/**
	 * A model by name, if it exists.
	 * @param name the name
	 * @return the model, {@code null} when there is none by that name
	 */
	@Nullable OnnxModel find(String name);

	/**
	 * All models in configuration order.
	 * @return the models
	 */
	Collection<? extends OnnxModel> models();

	/**
	 * Reload a model from its configured location now, on the calling thread, as
	 * {@code POST /actuator/onnx/<name>} does: the new version is loaded beside the
	 * running one, checked, warmed and only then swapped in; on any failure the running
	 * version keeps serving and what was built is closed. Each reload is also published
	 * as an {@link OnnxModelReloadedEvent}.
	 * @param name the model
	 * @return what the reload did, with trigger {@code api}
	 * @throws NoSuchElementException when there is no such model
	 * @throws IllegalStateException when reloads are not available (no reloader in the
	 * context)
	 */
	ReloadAttempt reload(String name);

}
