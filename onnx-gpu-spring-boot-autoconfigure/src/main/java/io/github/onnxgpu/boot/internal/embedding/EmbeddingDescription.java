package io.github.onnxgpu.boot.internal.embedding;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the {@code onnx} endpoint shows of a model served as an embedding model. Names no
 * type of the tokenizer library, so that it loads without it.
 *
 * @param tokenizer the tokenizer's location, credentials masked
 * @param pooling the pooling, lower case
 * @param normalize whether vectors are normalised
 * @param maxLength the most tokens of a text
 * @param sequenceBuckets the lengths texts are padded to
 * @param output the output pooled
 * @param dimensions the length of a vector, {@code null} until known
 * @param texts texts embedded so far
 * @param tokens tokens embedded so far, padding left out
 */
public record EmbeddingDescription(@Nullable String tokenizer, String pooling, boolean normalize, int maxLength,
		List<Integer> sequenceBuckets, String output, @Nullable Integer dimensions, long texts, long tokens) {

	/**
	 * The embedding models' descriptions by model name.
	 */
	public interface Source {

		/**
		 * Describe a model's embedding settings.
		 * @param modelName the model
		 * @return the description, {@code null} when it has no embedding section
		 */
		@Nullable EmbeddingDescription describe(String modelName);

	}

}
