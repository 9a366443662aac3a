package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.OnnxModelRegistry;
import io.github.onnxgpu.boot.model.ReloadAttempt;

/**
 * The loaded models by name. Loads all of them or none: when one fails, the sessions
 * already created are closed before the failure propagates.
 */
public final class ManagedModelRegistry implements OnnxModelRegistry, AutoCloseable {

	private final Map<String, ManagedModel> models;

	private final Duration closeWait;

	private volatile @Nullable ModelReloader reloader;

	private ManagedModelRegistry(Map<String, ManagedModel> models, Duration closeWait) {
		this.models = Collections.unmodifiableMap(models);
		this.closeWait = closeWait;
	}

	/**
	 * Load every model.
	 * @param factory the session factory
	 * @param definitions the models
	 * @param closeWait how long closing waits for runs in flight
	 * @return the registry
	 */
	public static ManagedModelRegistry load(OnnxSessionFactory factory, Collection<ModelDefinition> definitions,
			Duration closeWait) {
		Map<String, ManagedModel> models = new LinkedHashMap<>();
		try {
			for (ModelDefinition definition : definitions) {
				models.put(definition.name(), factory.create(definition));
			}
		}
		catch (RuntimeException ex) {
			new ManagedModelRegistry(models, closeWait).close();
			throw ex;
		}
		return new ManagedModelRegistry(models, closeWait);
	}

	/**
	 * A model by name.
	 * @param name the name
	 * @return the model
	 * @throws NoSuchElementException when there is no such model
	 */
	@Override
	public ManagedModel get(String name) {
		ManagedModel model = this.models.get(name);
		if (model == null) {
			throw new NoSuchElementException("No ONNX model '" + name + "'; known models are " + this.models.keySet());
		}
		return model;
	}

	/**
	 * A model by name, if it exists.
	 * @param name the name
	 * @return the model, {@code null} when there is none by that name
	 */
	@Override
	public @Nullable ManagedModel find(String name) {
		return this.models.get(name);
	}

	/**
	 * All models in configuration order.
	 * @return the models
	 */
	@Override
	public Collection<ManagedModel> models() {
		return this.models.values();
	}

	@Override
	public ReloadAttempt reload(String name) {
		get(name);
		ModelReloader reloads = this.reloader;
		if (reloads == null) {
			throw new IllegalStateException("ONNX model '" + name + "' cannot be reloaded: no ModelReloader in the "
					+ "context (OnnxReloadAutoConfiguration is excluded)");
		}
		return reloads.reload(name, "api");
	}

	void reloader(ModelReloader reloader) {
		this.reloader = reloader;
	}

	/**
	 * Begin shutting down: every model refuses new runs and running warmups are asked to
	 * stop. Sessions stay open until {@link #close()}.
	 */
	public void beginClose() {
		this.models.values().forEach(ManagedModel::beginClosing);
	}

	/**
	 * Close every session, stopping running warmups first and waiting for runs in flight.
	 */
	@Override
	public void close() {
		// every model first, so that no warmup takes the shutdown of another for a
		// failure
		beginClose();
		List<ManagedModel> all = new ArrayList<>(this.models.values());
		all.forEach((model) -> model.close(this.closeWait));
	}

}
