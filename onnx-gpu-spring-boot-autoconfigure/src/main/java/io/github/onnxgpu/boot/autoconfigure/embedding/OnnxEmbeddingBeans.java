package io.github.onnxgpu.boot.autoconfigure.embedding;

import io.github.onnxgpu.boot.internal.embedding.LangChain4jEmbeddingModel;
import io.github.onnxgpu.boot.internal.embedding.SpringAiEmbeddingModel;
import io.github.onnxgpu.boot.internal.embedding.TextEmbedders;

/**
 * The factory methods of the per-model embedding beans that
 * {@link EmbeddingBeanRegistrar} registers: static, so that Spring AOT can generate the
 * calls. Each library's types are named only in its own method's body.
 */
final class OnnxEmbeddingBeans {

	private OnnxEmbeddingBeans() {
	}

	/**
	 * A model's Spring AI {@code EmbeddingModel}.
	 * @param name the model
	 * @param embedders the embedders
	 * @return the bean
	 */
	static Object springAi(String name, TextEmbedders embedders) {
		return new SpringAiEmbeddingModel(embedders.get(name));
	}

	/**
	 * A model's LangChain4j {@code EmbeddingModel}.
	 * @param name the model
	 * @param embedders the embedders
	 * @return the bean
	 */
	static Object langChain4j(String name, TextEmbedders embedders) {
		return new LangChain4jEmbeddingModel(embedders.get(name));
	}

}
