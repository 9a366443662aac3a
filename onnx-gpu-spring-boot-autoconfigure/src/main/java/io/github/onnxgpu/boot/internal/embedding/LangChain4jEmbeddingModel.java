package io.github.onnxgpu.boot.internal.embedding;

import java.util.ArrayList;
import java.util.List;

import ai.onnxruntime.OrtException;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

/**
 * A model with an {@code embedding} section as LangChain4j's {@link EmbeddingModel}, on
 * the same {@link TextEmbedder} as the Spring AI bean: each segment's text becomes one
 * vector, in order.
 */
public final class LangChain4jEmbeddingModel implements EmbeddingModel {

	private final TextEmbedder embedder;

	/**
	 * Serve a model's embedder.
	 * @param embedder the embedder
	 */
	public LangChain4jEmbeddingModel(TextEmbedder embedder) {
		this.embedder = embedder;
	}

	@Override
	public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
		List<String> texts = new ArrayList<>(segments.size());
		segments.forEach((segment) -> texts.add(segment.text()));
		try {
			List<float[]> vectors = this.embedder.embed(texts);
			List<Embedding> embeddings = new ArrayList<>(vectors.size());
			vectors.forEach((vector) -> embeddings.add(Embedding.from(vector)));
			return Response.from(embeddings);
		}
		catch (OrtException ex) {
			throw new IllegalStateException("Model '" + this.embedder.modelName() + "' failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public int dimension() {
		try {
			return this.embedder.dimensions();
		}
		catch (OrtException ex) {
			throw new IllegalStateException("Model '" + this.embedder.modelName() + "' failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public String modelName() {
		return this.embedder.modelName();
	}

}
