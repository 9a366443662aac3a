package io.github.onnxgpu.boot.internal.embedding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import ai.onnxruntime.OrtEnvironment;

import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxInference;

/**
 * The embedders of the models with an {@code embedding} section, created (and so checked)
 * at start-up; closing closes their tokenizers.
 */
public final class TextEmbedders implements EmbeddingDescription.Source, AutoCloseable {

	private final Map<String, TextEmbedder> embedders;

	private TextEmbedders(Map<String, TextEmbedder> embedders) {
		this.embedders = embedders;
	}

	/**
	 * Create the embedders of some models; none is left open when one fails.
	 * @param settings each model's settings
	 * @param registry the loaded models
	 * @param inference runs them
	 * @param environment creates tensors
	 * @return the embedders
	 */
	public static TextEmbedders create(Collection<EmbeddingSettings> settings, ManagedModelRegistry registry,
			OnnxInference inference, OrtEnvironment environment) {
		Map<String, TextEmbedder> embedders = new LinkedHashMap<>();
		try {
			for (EmbeddingSettings model : settings) {
				embedders.put(model.modelName(),
						TextEmbedder.create(model, registry.get(model.modelName()), inference, environment));
			}
		}
		catch (RuntimeException ex) {
			embedders.values().forEach(TextEmbedder::close);
			throw ex;
		}
		return new TextEmbedders(embedders);
	}

	/**
	 * A model's embedder.
	 * @param name the model
	 * @return its embedder
	 * @throws NoSuchElementException when the model has no embedding section
	 */
	public TextEmbedder get(String name) {
		TextEmbedder embedder = this.embedders.get(name);
		if (embedder == null) {
			throw new NoSuchElementException("Model '" + name + "' has no embedding section");
		}
		return embedder;
	}

	/**
	 * A model's embedder, if it has one.
	 * @param name the model
	 * @return its embedder, or {@code null}
	 */
	public @org.jspecify.annotations.Nullable TextEmbedder find(String name) {
		return this.embedders.get(name);
	}

	/**
	 * All embedders.
	 * @return them, in configuration order
	 */
	public List<TextEmbedder> all() {
		return new ArrayList<>(this.embedders.values());
	}

	@Override
	public @org.jspecify.annotations.Nullable EmbeddingDescription describe(String modelName) {
		TextEmbedder embedder = this.embedders.get(modelName);
		return (embedder != null) ? embedder.describe() : null;
	}

	@Override
	public void close() {
		this.embedders.values().forEach(TextEmbedder::close);
	}

}
