package io.github.onnxgpu.boot.autoconfigure.embedding;

import java.util.ArrayList;
import java.util.List;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.autoconfigure.EmbeddingProperties;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.internal.embedding.EmbeddingSettings;
import io.github.onnxgpu.boot.internal.embedding.TextEmbedders;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxInference;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for text embeddings: each model with an {@code embedding} section
 * ({@code onnx.models.<name>.embedding.tokenizer}) is served as a Spring AI
 * {@code EmbeddingModel} bean, and as a LangChain4j one where LangChain4j is on the class
 * path, named {@code <name>EmbeddingModel} (LangChain4j's
 * {@code <name>LangChain4jEmbeddingModel}) and qualified by the model's name. Needs DJL's
 * Hugging Face tokenizers; the starter's beans back off when the application defines an
 * {@code EmbeddingModel} of its own.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OnnxAutoConfiguration.class)
@ConditionalOnClass({ OrtEnvironment.class, HuggingFaceTokenizer.class })
public final class OnnxEmbeddingAutoConfiguration {

	/** Counter of the texts embedded, per model. */
	static final String TEXTS_METER = "onnx.embedding.texts";

	/** Counter of the tokens embedded, padding left out, per model. */
	static final String TOKENS_METER = "onnx.embedding.tokens";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	TextEmbedders onnxTextEmbedders(ManagedModelRegistry registry, OnnxInference inference, OrtEnvironment environment,
			OnnxProperties properties) {
		List<EmbeddingSettings> settings = new ArrayList<>();
		properties.getModels().forEach((name, model) -> {
			EmbeddingProperties embedding = model.getEmbedding();
			Resource tokenizer = embedding.getTokenizer();
			if (tokenizer != null) {
				settings.add(EmbeddingSettings.of(name, tokenizer, embedding.getPooling(), embedding.isNormalize(),
						embedding.getMaxLength(), embedding.getSequenceBuckets(), embedding.getOutput()));
			}
		});
		return TextEmbedders.create(settings, registry, inference, environment);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class EmbeddingMeters {

		@Bean
		@ConditionalOnMissingBean(name = "onnxEmbeddingMeterBinder")
		io.micrometer.core.instrument.binder.MeterBinder onnxEmbeddingMeterBinder(TextEmbedders embedders) {
			return (registry) -> embedders.all().forEach((embedder) -> {
				io.micrometer.core.instrument.FunctionCounter
					.builder(TEXTS_METER, embedder, io.github.onnxgpu.boot.internal.embedding.TextEmbedder::texts)
					.description("Texts embedded")
					.tag("model", embedder.modelName())
					.register(registry);
				io.micrometer.core.instrument.FunctionCounter
					.builder(TOKENS_METER, embedder, io.github.onnxgpu.boot.internal.embedding.TextEmbedder::tokens)
					.description("Tokens embedded, padding left out")
					.tag("model", embedder.modelName())
					.register(registry);
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = EmbeddingBeanRegistrar.SPRING_AI)
	@ConditionalOnMissingBean(type = EmbeddingBeanRegistrar.SPRING_AI)
	@Import(EmbeddingBeanRegistrar.SpringAi.class)
	static class SpringAiEmbeddingModels {

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = EmbeddingBeanRegistrar.LANGCHAIN4J)
	@ConditionalOnMissingBean(type = EmbeddingBeanRegistrar.LANGCHAIN4J)
	@Import(EmbeddingBeanRegistrar.LangChain4j.class)
	static class LangChain4jEmbeddingModels {

	}

}
