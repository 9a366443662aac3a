package io.github.onnxgpu.boot.internal.embedding;

import java.util.ArrayList;
import java.util.List;

import ai.onnxruntime.OrtException;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.util.Assert;

/**
 * A model with an {@code embedding} section as Spring AI's {@link EmbeddingModel}: each
 * text of a request becomes one vector, in order, through the model's
 * {@link TextEmbedder}. The request's options are not read: the model, its dimensions and
 * pooling are fixed by configuration.
 */
public final class SpringAiEmbeddingModel implements EmbeddingModel {

	private final TextEmbedder embedder;

	/**
	 * Serve a model's embedder.
	 * @param embedder the embedder
	 */
	public SpringAiEmbeddingModel(TextEmbedder embedder) {
		this.embedder = embedder;
	}

	@Override
	public EmbeddingResponse call(EmbeddingRequest request) {
		Assert.notNull(request, "request must not be null");
		List<float[]> vectors = vectors(request.getInstructions());
		List<Embedding> embeddings = new ArrayList<>(vectors.size());
		for (int i = 0; i < vectors.size(); i++) {
			embeddings.add(new Embedding(vectors.get(i), i));
		}
		EmbeddingResponseMetadata metadata = new EmbeddingResponseMetadata();
		metadata.setModel(this.embedder.modelName());
		return new EmbeddingResponse(embeddings, metadata);
	}

	@Override
	public float[] embed(String text) {
		Assert.notNull(text, "text must not be null");
		return vectors(List.of(text)).get(0);
	}

	@Override
	public List<float[]> embed(List<String> texts) {
		Assert.notNull(texts, "texts must not be null");
		return vectors(texts);
	}

	@Override
	public float[] embed(Document document) {
		Assert.notNull(document, "document must not be null");
		return embed(getEmbeddingContent(document));
	}

	@Override
	public int dimensions() {
		try {
			return this.embedder.dimensions();
		}
		catch (OrtException ex) {
			throw new IllegalStateException("Model '" + this.embedder.modelName() + "' failed: " + ex.getMessage(), ex);
		}
	}

	private List<float[]> vectors(List<String> texts) {
		try {
			return this.embedder.embed(texts);
		}
		catch (OrtException ex) {
			throw new IllegalStateException("Model '" + this.embedder.modelName() + "' failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public String toString() {
		return "OnnxEmbeddingModel[" + this.embedder.modelName() + "]";
	}

}
