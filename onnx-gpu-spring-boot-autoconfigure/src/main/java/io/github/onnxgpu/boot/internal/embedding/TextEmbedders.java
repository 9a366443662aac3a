package io.github.onnxgpu.boot.internal.embedding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.OnnxWarmupRunner;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OnnxInference;

/**
 * The embedders of the models with an {@code embedding} section, created (and so checked)
 * at start-up; closing closes their tokenizers.
 */
public final class TextEmbedders
		implements EmbeddingDescription.Source, ApplicationListener<ApplicationReadyEvent>, Ordered, AutoCloseable {

	private static final Log logger = LogFactory.getLog(TextEmbedders.class);

	private final ManagedModelRegistry registry;

	private final Map<String, TextEmbedder> embedders;

	private TextEmbedders(Map<String, TextEmbedder> embedders, ManagedModelRegistry registry) {
		this.embedders = embedders;
		this.registry = registry;
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
		return new TextEmbedders(embedders, registry);
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

	// after the models' warmup, before Spring Boot reports the application ready
	@Override
	public int getOrder() {
		return OnnxWarmupRunner.ORDER + 1;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		for (TextEmbedder embedder : this.embedders.values()) {
			ManagedModel model = this.registry.find(embedder.modelName());
			if (model == null || model.status() != ModelStatus.READY || !model.definition().warmup().enabled()) {
				continue;
			}
			long start = System.nanoTime();
			try {
				embedder.warm();
				logger.info("ONNX model '" + embedder.modelName() + "' warmed as an embedding model (tokenizer, "
						+ "buckets " + embedder.settings().buckets() + ", each caller's slice) in "
						+ (System.nanoTime() - start) / 1_000_000 + " ms");
			}
			catch (OrtException | RuntimeException ex) {
				logger.warn("ONNX model '" + embedder.modelName() + "' could not be warmed as an embedding model", ex);
			}
		}
	}

	@Override
	public void close() {
		this.embedders.values().forEach(TextEmbedder::close);
	}

}
