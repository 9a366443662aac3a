package io.github.onnxgpu.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.embedding.EmbeddingPooling;

/**
 * A model served as a text embedding model ({@code onnx.models.<name>.embedding}): the
 * tokenizer that turns texts into the model's inputs, and how its output becomes one
 * vector per text. Setting {@code tokenizer} turns it on.
 *
 * @since 0.1.0
 */
public class EmbeddingProperties {

	/**
	 * Location of the model's Hugging Face tokenizer.json, any Spring resource location
	 * such as 'file:models/tokenizer.json'. Setting it serves the model as an
	 * EmbeddingModel bean.
	 */
	private @Nullable Resource tokenizer;

	/**
	 * How the model's output becomes one vector per text: 'mean' over the real tokens,
	 * the first token's state ('cls'), or 'none' for an output that is already one vector
	 * per text.
	 */
	private EmbeddingPooling pooling = EmbeddingPooling.MEAN;

	/**
	 * Whether each vector is scaled to length 1 (L2 norm), so that a dot product is the
	 * cosine similarity.
	 */
	private boolean normalize = true;

	/**
	 * Most tokens of a text, the special tokens included; longer texts are truncated to
	 * it, never refused. At most what the model was trained for (512 for BERT models).
	 */
	private int maxLength = 256;

	/**
	 * Sequence lengths each text is padded to: the smallest that holds it, so that texts
	 * of similar length share a batch and every length the model meets is warmed. Empty
	 * for the powers of two from 16 below max-length; max-length is always the last.
	 */
	private List<Integer> sequenceBuckets = new ArrayList<>();

	/**
	 * The model output to pool. By default 'last_hidden_state' when the model has it,
	 * otherwise its only output.
	 */
	private @Nullable String output;

	public @Nullable Resource getTokenizer() {
		return this.tokenizer;
	}

	public void setTokenizer(@Nullable Resource tokenizer) {
		this.tokenizer = tokenizer;
	}

	public EmbeddingPooling getPooling() {
		return this.pooling;
	}

	public void setPooling(EmbeddingPooling pooling) {
		this.pooling = pooling;
	}

	public boolean isNormalize() {
		return this.normalize;
	}

	public void setNormalize(boolean normalize) {
		this.normalize = normalize;
	}

	public int getMaxLength() {
		return this.maxLength;
	}

	public void setMaxLength(int maxLength) {
		this.maxLength = maxLength;
	}

	public List<Integer> getSequenceBuckets() {
		return this.sequenceBuckets;
	}

	public void setSequenceBuckets(List<Integer> sequenceBuckets) {
		this.sequenceBuckets = sequenceBuckets;
	}

	public @Nullable String getOutput() {
		return this.output;
	}

	public void setOutput(@Nullable String output) {
		this.output = output;
	}

}
