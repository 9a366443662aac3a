package io.github.onnxgpu.boot.internal.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.embedding.EmbeddingPooling;

/**
 * A model's checked {@code embedding} settings.
 *
 * @param modelName the model
 * @param tokenizer the tokenizer.json
 * @param pooling how the output becomes one vector per text
 * @param normalize whether vectors are scaled to length 1
 * @param maxLength the most tokens of a text
 * @param buckets the sequence lengths texts are padded to, ascending, the last
 * {@code maxLength}
 * @param output the output to pool, {@code null} for the default
 */
public record EmbeddingSettings(String modelName, Resource tokenizer, EmbeddingPooling pooling, boolean normalize,
		int maxLength, List<Integer> buckets, @Nullable String output) {

	/** The input of token ids. */
	public static final String INPUT_IDS = "input_ids";

	/** The input that marks real tokens (1) and padding (0). */
	public static final String ATTENTION_MASK = "attention_mask";

	/** The input of segment ids, 0 for a single text; optional. */
	public static final String TOKEN_TYPE_IDS = "token_type_ids";

	/** The output pooled by default when the model has it. */
	public static final String LAST_HIDDEN_STATE = "last_hidden_state";

	private static final String TOKENIZER_CLASS = "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer";

	private static final List<String> API_CLASSES = List.of("org.springframework.ai.embedding.EmbeddingModel",
			"dev.langchain4j.model.embedding.EmbeddingModel");

	public EmbeddingSettings {
		buckets = List.copyOf(buckets);
	}

	/**
	 * Check a model's configured embedding settings.
	 * @param modelName the model
	 * @param tokenizer the configured tokenizer
	 * @param pooling the pooling
	 * @param normalize whether to normalise
	 * @param maxLength the most tokens
	 * @param configuredBuckets the configured buckets, empty for the default
	 * @param output the configured output, or {@code null}
	 * @return the settings
	 * @throws OnnxModelException when a setting is invalid
	 */
	public static EmbeddingSettings of(String modelName, Resource tokenizer, EmbeddingPooling pooling,
			boolean normalize, int maxLength, List<Integer> configuredBuckets, @Nullable String output) {
		if (maxLength < 2) {
			String property = property(modelName, "max-length");
			throw new OnnxModelException(modelName, property,
					"a text needs room for at least its special tokens, but max-length is " + maxLength,
					"set " + property + " to the model's limit or below, such as 256 (512 for BERT models)");
		}
		return new EmbeddingSettings(modelName, tokenizer, pooling, normalize, maxLength,
				buckets(modelName, maxLength, configuredBuckets), output);
	}

	private static List<Integer> buckets(String modelName, int maxLength, List<Integer> configured) {
		Set<Integer> buckets = new TreeSet<>();
		if (configured.isEmpty()) {
			for (int length = 16; length < maxLength; length *= 2) {
				buckets.add(length);
			}
		}
		String property = property(modelName, "sequence-buckets");
		for (Integer bucket : configured) {
			if (bucket == null || bucket < 1) {
				throw new OnnxModelException(modelName, property, "a sequence bucket must hold a token, not " + bucket,
						"list lengths of 1 or more, such as [16, 32, 64, 128, 256]");
			}
			if (bucket > maxLength) {
				throw new OnnxModelException(modelName, property,
						"the sequence bucket " + bucket + " is above max-length " + maxLength
								+ ", so no text would ever be padded to it",
						"remove " + bucket + " from " + property + ", or raise " + property(modelName, "max-length")
								+ " to " + bucket + " if the model takes that many tokens");
			}
			buckets.add(bucket);
		}
		buckets.add(maxLength);
		return new ArrayList<>(buckets);
	}

	/**
	 * Check, before the model is loaded, that the libraries are there and the model file
	 * has a text encoder's inputs, so that a wrong model is named for what it is rather
	 * than through the warmup shapes added for the buckets.
	 * @param location the model file, read when it is a local file or a class path
	 * resource
	 */
	public void checkBeforeLoading(@Nullable Resource location) {
		ClassLoader classLoader = ClassUtils.getDefaultClassLoader();
		boolean api = API_CLASSES.stream().anyMatch((name) -> ClassUtils.isPresent(name, classLoader));
		if (!ClassUtils.isPresent(TOKENIZER_CLASS, classLoader) || !api) {
			String missing = !api ? "Spring AI's model API (org.springframework.ai:spring-ai-model)"
					: "DJL's Hugging Face tokenizers (ai.djl.huggingface:tokenizers)";
			throw new OnnxModelException(this.modelName, property(this.modelName, "tokenizer"),
					"the model is configured as an embedding model but " + missing + " is not on the class path",
					"depend on io.github.onnxgpu:onnx-gpu-spring-boot-starter-embedding, or remove "
							+ property(this.modelName, "tokenizer"));
		}
		if (location == null || !(location.isFile() || location instanceof ClassPathResource) || !location.exists()) {
			// a remote model is checked once loaded, from the session's inputs
			return;
		}
		EmbeddingGraph graph;
		try (InputStream in = location.getInputStream()) {
			graph = EmbeddingGraph.read(in, INPUT_IDS);
		}
		catch (IOException ex) {
			// the session factory reports an unreadable model with its own words
			return;
		}
		checkInputs(graph.inputs());
	}

	/**
	 * Check that a model has a text encoder's inputs.
	 * @param inputs the model's inputs
	 * @throws OnnxModelException when {@code input_ids} or {@code attention_mask} is
	 * missing, or the model has an input the tokenizer cannot fill
	 */
	public void checkInputs(Set<String> inputs) {
		List<String> missing = new ArrayList<>();
		for (String input : List.of(INPUT_IDS, ATTENTION_MASK)) {
			if (!inputs.contains(input)) {
				missing.add(input);
			}
		}
		Set<String> unknown = new TreeSet<>(inputs);
		unknown.removeAll(List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS));
		if (!missing.isEmpty() || !unknown.isEmpty()) {
			String problem = !missing.isEmpty() ? "the model has no input " + missing
					: "the model has inputs " + unknown + " that a tokenizer does not fill";
			throw new OnnxModelException(this.modelName, property(this.modelName, "tokenizer"),
					problem + " (its inputs: " + inputs + "), so it is not a text encoder the tokenizer can feed",
					"point " + OnnxModelException.modelProperty(this.modelName, "location")
							+ " at a text encoder with the inputs input_ids and attention_mask (token_type_ids "
							+ "optional), as Hugging Face exports them, or remove "
							+ OnnxModelException.modelProperty(this.modelName, "embedding"));
		}
	}

	/**
	 * A property of the model's embedding section.
	 * @param modelName the model
	 * @param suffix the property below {@code embedding.}
	 * @return the full name
	 */
	static String property(String modelName, String suffix) {
		return OnnxModelException.modelProperty(modelName, "embedding." + suffix);
	}

}
