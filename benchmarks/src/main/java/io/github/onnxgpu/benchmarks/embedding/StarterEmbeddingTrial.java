package io.github.onnxgpu.benchmarks.embedding;

import java.nio.file.Path;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.embedding.OnnxEmbeddingAutoConfiguration;

/**
 * The starter's trial of the embedding comparison: all-MiniLM-L6-v2 as the starter's
 * Spring AI {@code EmbeddingModel}, batched (at most 16 a batch), padded to sequence
 * buckets, warmed before ready. Arguments: the model file, the tokenizer.json, the
 * seconds per load phase, the results file.
 */
public final class StarterEmbeddingTrial {

	private StarterEmbeddingTrial() {
	}

	public static void main(String[] args) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties("onnx.cuda.enabled=false", "onnx.models.minilm.location=file:" + args[0],
					"onnx.models.minilm.embedding.tokenizer=file:" + args[1],
					"onnx.models.minilm.embedding.max-length=128",
					"onnx.models.minilm.embedding.sequence-buckets=16,32,64,128",
					"onnx.models.minilm.batching.enabled=true", "onnx.models.minilm.batching.max-batch-size=16",
					// each of the 20 shapes (4 buckets, 5 batch sizes) run 3 to 5 times:
					// on a loaded
					// 2-core machine the default of up to 20 runs until steady takes
					// minutes
					"onnx.models.minilm.warmup.max-iterations=5")
			.run()) {
			// run() returns once the warmup held by readiness is done
			double ready = EmbeddingLoad.sinceJvmStart();
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			EmbeddingLoad.run(model::embed, ready, Integer.parseInt(args[2]), Path.of(args[3]));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ OnnxAutoConfiguration.class, OnnxEmbeddingAutoConfiguration.class })
	static class Application {

	}

}
