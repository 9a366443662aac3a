package io.github.onnxgpu.benchmarks.embedding;

import java.nio.file.Path;

import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import org.springframework.ai.transformers.TransformersEmbeddingModel;

/**
 * A peer's trial of the embedding comparison, in a JVM of its own on the peer's class
 * path (benchmarks/embedding-peers), with the ONNX Runtime it brings: Spring AI's
 * {@code TransformersEmbeddingModel} or LangChain4j's {@code OnnxEmbeddingModel}, both
 * pointed at the same model file and tokenizer.json as the starter. Arguments: the peer
 * ({@code spring-ai} or {@code langchain4j}), the model file, the tokenizer.json, the
 * seconds per load phase, the results file.
 */
public final class PeerEmbeddingTrial {

	private PeerEmbeddingTrial() {
	}

	public static void main(String[] args) throws Exception {
		Path model = Path.of(args[1]);
		Path tokenizer = Path.of(args[2]);
		EmbeddingLoad.Embedder embedder;
		if (args[0].equals("spring-ai")) {
			TransformersEmbeddingModel transformers = new TransformersEmbeddingModel();
			transformers.setModelResource("file:" + model);
			transformers.setTokenizerResource("file:" + tokenizer);
			transformers.setResourceCacheDirectory(model.getParent().resolve("spring-ai-cache").toString());
			transformers.afterPropertiesSet();
			embedder = transformers::embed;
		}
		else {
			OnnxEmbeddingModel onnx = new OnnxEmbeddingModel(model, tokenizer, PoolingMode.MEAN);
			embedder = (text) -> onnx.embed(text).content().vector();
		}
		EmbeddingLoad.run(embedder, EmbeddingLoad.sinceJvmStart(), Integer.parseInt(args[3]), Path.of(args[4]));
	}

}
