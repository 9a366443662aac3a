package io.github.onnxgpu.boot.actuate;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.actuate.OnnxDescriptors.EmbeddingDescriptor;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.embedding.OnnxEmbeddingAutoConfiguration;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.TestTokenizers;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link OnnxEndpoint} shows a model's embedding settings.
 */
class OnnxEndpointEmbeddingTests {

	@TempDir
	Path files;

	@Test
	void embeddingSettingsAreShownWithTheTokenizerLocationMasked() {
		String encoder = ModelFiles.write(this.files, "encoder.onnx",
				TestModels.textEncoder(TestTokenizers.VOCABULARY, 8, false));
		TestTokenizers.wordPiece(this.files, "tokenizer.json");
		// the tokenizer through a URL with credentials, as a location may carry them
		String tokenizer = "file://user:secret@localhost" + this.files.resolve("tokenizer.json").toAbsolutePath();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class, OnnxEmbeddingAutoConfiguration.class))
			.withPropertyValues("onnx.cuda.enabled=false", "onnx.models.minilm.location=" + encoder,
					"onnx.models.minilm.embedding.tokenizer=" + tokenizer,
					"onnx.models.minilm.embedding.sequence-buckets=8,32", "onnx.models.minilm.embedding.max-length=64",
					"onnx.models.minilm.warmup.enabled=false", "onnx.models.plain.location=" + encoder,
					"onnx.models.plain.warmup.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(EmbeddingModel.class).embed(List.of("the cat sat", "hello"));
				OnnxEndpoint endpoint = new OnnxEndpoint(context.getBeanFactory(), true);
				EmbeddingDescriptor embedding = endpoint.model("minilm").embedding();
				assertThat(embedding).isNotNull();
				assertThat(embedding.tokenizer()).doesNotContain("secret")
					.contains("******")
					.endsWith("tokenizer.json");
				assertThat(embedding.pooling()).isEqualTo("mean");
				assertThat(embedding.normalize()).isTrue();
				assertThat(embedding.maxLength()).isEqualTo(64);
				assertThat(embedding.sequenceBuckets()).containsExactly(8, 32, 64);
				assertThat(embedding.output()).isEqualTo("last_hidden_state");
				assertThat(embedding.dimensions()).isEqualTo(8);
				assertThat(embedding.texts()).isEqualTo(2);
				// [CLS] the cat sat [SEP], [CLS] hello [SEP]
				assertThat(embedding.tokens()).isEqualTo(8);
				assertThat(endpoint.model("plain").embedding()).isNull();
				assertThat(endpoint.onnx().models().get("minilm").embedding()).isNotNull();
			});
	}

}
