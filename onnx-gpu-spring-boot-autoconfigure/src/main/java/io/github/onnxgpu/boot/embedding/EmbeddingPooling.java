package io.github.onnxgpu.boot.embedding;

/**
 * How a text encoder's output becomes one vector per text
 * ({@code onnx.models.<name>.embedding.pooling}).
 *
 * @since 0.1.0
 */
public enum EmbeddingPooling {

	/**
	 * The mean of the token states over the text's real tokens (those the attention mask
	 * marks), padding left out: what sentence-transformers models such as
	 * all-MiniLM-L6-v2, E5 and GTE use. The output is [batch, sequence, hidden].
	 */
	MEAN,

	/**
	 * The state of the first token ({@code [CLS]}): what BGE models use. The output is
	 * [batch, sequence, hidden].
	 */
	CLS,

	/**
	 * The output is already one vector per text, [batch, hidden]: a model exported with
	 * its pooling inside the graph.
	 */
	NONE

}
