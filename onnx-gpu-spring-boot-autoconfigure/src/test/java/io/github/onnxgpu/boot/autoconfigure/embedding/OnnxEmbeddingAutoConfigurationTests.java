package io.github.onnxgpu.boot.autoconfigure.embedding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.embedding.TextEmbedders;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.TestTokenizers;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link OnnxEmbeddingAutoConfiguration}: texts through the real DJL tokenizer
 * and a generated text encoder, compared with the encoder run by hand on the unpadded
 * token ids; the start-up checks; the beans and their back-off.
 */
class OnnxEmbeddingAutoConfigurationTests {

	private static final int VOCABULARY = TestTokenizers.VOCABULARY;

	private static final int HIDDEN = 8;

	// [CLS] 2, [SEP] 3, then the words from 4 (TestTokenizers)
	private static final long[] THE_CAT_SAT = { 2, 4, 5, 6, 3 };

	private static final long[] A_BIG_RED_DOG_RAN_FAST = { 2, 9, 17, 19, 10, 11, 15, 3 };

	@TempDir
	static Path files;

	private static byte[] encoder;

	private static String encoderLocation;

	private static String tokenizer;

	private static OrtEnvironment environment;

	private static OrtSession reference;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class, OnnxEmbeddingAutoConfiguration.class))
		.withPropertyValues("onnx.cuda.enabled=false");

	@BeforeAll
	static void writeFiles() throws Exception {
		encoder = TestModels.textEncoder(VOCABULARY, HIDDEN, true);
		encoderLocation = ModelFiles.write(files, "encoder.onnx", encoder);
		tokenizer = TestTokenizers.wordPiece(files, "tokenizer.json");
		environment = OrtEnvironment.getEnvironment();
		reference = environment.createSession(encoder);
	}

	@AfterAll
	static void closeReference() throws Exception {
		reference.close();
	}

	private ApplicationContextRunner encoder(String... properties) {
		return this.contextRunner
			.withPropertyValues("onnx.models.minilm.location=" + encoderLocation,
					"onnx.models.minilm.embedding.tokenizer=" + tokenizer, "onnx.models.minilm.warmup.enabled=false")
			.withPropertyValues(properties);
	}

	@Test
	void meanPooledNormalisedVectorsEqualTheEncoderRunByHandOnTheUnpaddedTokens() {
		encoder().run((context) -> {
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			float[] vector = model.embed("The cat sat");
			// padded to the bucket of 16, the mask leaves the padding out
			assertThat(vector).containsExactly(normalized(mean(hidden(THE_CAT_SAT))), within(1e-5f));
			assertThat(norm(vector)).isCloseTo(1.0, within(1e-5));
			assertThat(model.dimensions()).isEqualTo(HIDDEN);
		});
	}

	@Test
	void callEmbedsEachTextInOrderAndDocumentsByTheirText() {
		encoder().run((context) -> {
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			EmbeddingResponse response = model.call(new EmbeddingRequest(
					List.of("the cat sat", "A big red dog ran fast"), EmbeddingOptions.builder().build()));
			assertThat(response.getResults()).hasSize(2);
			assertThat(response.getResults().get(0).getIndex()).isZero();
			assertThat(response.getResults().get(1).getIndex()).isEqualTo(1);
			assertThat(response.getResults().get(1).getOutput())
				.containsExactly(normalized(mean(hidden(A_BIG_RED_DOG_RAN_FAST))), within(1e-5f));
			assertThat(response.getMetadata().getModel()).isEqualTo("minilm");
			assertThat(model.embed(new Document("the cat sat")))
				.containsExactly(response.getResults().get(0).getOutput(), within(1e-6f));
			assertThat(model.embed(List.of("the cat sat"))).hasSize(1);
			assertThat(model.embed(List.of())).isEmpty();
		});
	}

	@Test
	void withoutNormalisationTheMeanIsReturnedAsIs() {
		encoder("onnx.models.minilm.embedding.normalize=false").run((context) -> {
			float[] vector = context.getBean(EmbeddingModel.class).embed("the cat sat");
			assertThat(vector).containsExactly(mean(hidden(THE_CAT_SAT)), within(1e-5f));
			assertThat(norm(vector)).isNotCloseTo(1.0, within(1e-3));
		});
	}

	@Test
	void clsPoolingTakesTheFirstTokensState() {
		encoder("onnx.models.minilm.embedding.pooling=cls", "onnx.models.minilm.embedding.normalize=false")
			.run((context) -> {
				float[] vector = context.getBean(EmbeddingModel.class).embed("the cat sat");
				assertThat(vector).containsExactly(hidden(THE_CAT_SAT)[0], within(1e-5f));
			});
	}

	@Test
	void everyBucketGivesTheSameVector() {
		for (String buckets : List.of("[8]", "[5]", "[16, 64]")) {
			encoder("onnx.models.minilm.embedding.sequence-buckets=" + buckets.substring(1, buckets.length() - 1),
					"onnx.models.minilm.embedding.max-length=64")
				.run((context) -> assertThat(context.getBean(EmbeddingModel.class).embed("the cat sat"))
					.as("buckets %s", buckets)
					.containsExactly(normalized(mean(hidden(THE_CAT_SAT))), within(1e-5f)));
		}
	}

	@Test
	void longerTextsAreTruncatedAtMaxLengthKeepingTheFinalSeparator() {
		encoder("onnx.models.minilm.embedding.max-length=4").run((context) -> {
			float[] vector = context.getBean(EmbeddingModel.class).embed("the cat sat on the mat");
			assertThat(vector).containsExactly(normalized(mean(hidden(new long[] { 2, 4, 5, 3 }))), within(1e-5f));
		});
	}

	@Test
	void aModelWithoutTokenTypeIdsAndAlreadyPooledServesWithPoolingNone() {
		String pooled = ModelFiles.write(files, "pooled.onnx", TestModels.embeddingModel());
		this.contextRunner
			.withPropertyValues("onnx.models.pooled.location=" + pooled,
					"onnx.models.pooled.embedding.tokenizer=" + tokenizer, "onnx.models.pooled.embedding.pooling=none",
					"onnx.models.pooled.warmup.enabled=false")
			.run((context) -> {
				float[] vector = context.getBean(EmbeddingModel.class).embed("the cat sat");
				float[] expected;
				try (OrtSession session = environment.createSession(TestModels.embeddingModel());
						OnnxTensor ids = OnnxTensor.createTensor(environment, new long[][] { THE_CAT_SAT });
						OnnxTensor mask = OnnxTensor.createTensor(environment, new long[][] { { 1, 1, 1, 1, 1 } });
						OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask))) {
					expected = ((float[][]) result.get(0).getValue())[0];
				}
				// the graph divides by the padded length: the direction is the same
				assertThat(vector).containsExactly(normalized(expected), within(1e-5f));
				assertThat(context.getBean(EmbeddingModel.class).dimensions()).isEqualTo(16);
			});
	}

	@Test
	void concurrentCallersOfABatchedModelEachGetTheirOwnVectors() {
		encoder("onnx.models.minilm.warmup.enabled=true", "onnx.models.minilm.batching.enabled=true",
				"onnx.models.minilm.batching.max-batch-size=4", "onnx.models.minilm.batching.max-delay=2ms",
				"onnx.models.minilm.embedding.sequence-buckets=16")
			.run((context) -> {
				EmbeddingModel model = context.getBean(EmbeddingModel.class);
				List<String> texts = List.of("the cat sat", "a big red dog ran fast", "hello world", "the dog",
						"small cats ran on the mat", "red", "the big slow dog sat on a red mat", "hello");
				List<float[]> alone = new ArrayList<>();
				for (String text : texts) {
					alone.add(model.embed(text));
				}
				ExecutorService callers = Executors.newFixedThreadPool(texts.size());
				try {
					List<Future<List<float[]>>> futures = new ArrayList<>();
					for (int caller = 0; caller < texts.size(); caller++) {
						String text = texts.get(caller);
						String other = texts.get((caller + 3) % texts.size());
						futures.add(callers.submit((Callable<List<float[]>>) () -> {
							List<float[]> mine = new ArrayList<>();
							for (int i = 0; i < 10; i++) {
								mine.addAll(model.embed(List.of(text, other)));
							}
							return mine;
						}));
					}
					for (int caller = 0; caller < texts.size(); caller++) {
						List<float[]> mine = futures.get(caller).get(60, TimeUnit.SECONDS);
						for (int i = 0; i < mine.size(); i++) {
							int text = (i % 2 == 0) ? caller : (caller + 3) % texts.size();
							assertThat(mine.get(i)).containsExactly(alone.get(text), within(1e-5f));
						}
					}
				}
				finally {
					callers.shutdownNow();
				}
				// callers' runs shared batches: fewer batches than runs
				io.github.onnxgpu.boot.internal.batching.BatchingStats stats = context
					.getBean(ManagedModelRegistry.class)
					.get("minilm")
					.batcher()
					.stats();
				assertThat(stats.requests()).isGreaterThan(stats.batches());
			});
	}

	@Test
	void warmupRunsEveryBucket() {
		encoder("onnx.models.minilm.warmup.enabled=true", "onnx.models.minilm.embedding.max-length=32",
				"onnx.models.minilm.batching.enabled=true", "onnx.models.minilm.batching.max-batch-size=2")
			.run((context) -> {
				ModelFiles.publishReady(context.getSourceApplicationContext());
				List<Map<String, long[]>> warmed = context.getBean(ManagedModelRegistry.class)
					.get("minilm")
					.warmupShapes();
				// each bucket at each batch size the batcher forms
				assertThat(warmed.stream().map((shape) -> shape.get("input_ids"))).containsExactlyInAnyOrder(
						new long[] { 1, 16 }, new long[] { 2, 16 }, new long[] { 1, 32 }, new long[] { 2, 32 });
				assertThat(warmed.get(0)).containsOnlyKeys("input_ids", "attention_mask", "token_type_ids");
				// then the whole path once per bucket and chunk size, through the batcher
				assertThat(context.getBean(ManagedModelRegistry.class).get("minilm").batcher().stats().requests())
					.isEqualTo(4);
				assertThat(context.getBean(TextEmbedders.class).get("minilm").texts()).isZero();
			});
	}

	@Test
	void textsAndTokensAreCountedPerModel() {
		encoder().run((context) -> {
			io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
			context.getBean(io.micrometer.core.instrument.binder.MeterBinder.class).bindTo(meters);
			context.getBean(EmbeddingModel.class).embed(List.of("the cat sat", "a big red dog ran fast"));
			assertThat(meters.get("onnx.embedding.texts").tag("model", "minilm").functionCounter().count())
				.isEqualTo(2);
			assertThat(meters.get("onnx.embedding.tokens").tag("model", "minilm").functionCounter().count())
				.isEqualTo(THE_CAT_SAT.length + A_BIG_RED_DOG_RAN_FAST.length);
		});
	}

	@Test
	void langChain4jModelGivesTheSameVectors() {
		encoder().run((context) -> {
			dev.langchain4j.model.embedding.EmbeddingModel langChain4j = context
				.getBean(dev.langchain4j.model.embedding.EmbeddingModel.class);
			assertThat(langChain4j.embed("the cat sat").content().vector())
				.containsExactly(normalized(mean(hidden(THE_CAT_SAT))), within(1e-5f));
			assertThat(
					langChain4j.embedAll(List.of(TextSegment.from("the cat sat"), TextSegment.from("hello"))).content())
				.hasSize(2);
			assertThat(langChain4j.dimension()).isEqualTo(HIDDEN);
			assertThat(langChain4j.modelName()).isEqualTo("minilm");
			assertThat(context).hasBean("minilmLangChain4jEmbeddingModel");
		});
	}

	@Test
	void beansAreQualifiedByTheModelsNameAndPrimaryWhenAlone() {
		String pooled = ModelFiles.write(files, "pooled.onnx", TestModels.embeddingModel());
		encoder().run((context) -> {
			assertThat(context).hasSingleBean(EmbeddingModel.class).hasBean("minilmEmbeddingModel");
			assertThat(context.getBeanFactory().getBeanDefinition("minilmEmbeddingModel").isPrimary()).isTrue();
		});
		encoder("onnx.models.pooled.location=" + pooled, "onnx.models.pooled.embedding.tokenizer=" + tokenizer,
				"onnx.models.pooled.embedding.pooling=none", "onnx.models.pooled.warmup.enabled=false")
			.run((context) -> {
				assertThat(context.getBeansOfType(EmbeddingModel.class)).hasSize(2);
				assertThat(org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils
					.qualifiedBeanOfType(context.getBeanFactory(), EmbeddingModel.class, "pooled")
					.dimensions()).isEqualTo(16);
				assertThat(context.getBeanFactory().getBeanDefinition("minilmEmbeddingModel").isPrimary()).isFalse();
			});
	}

	@Test
	void theApplicationsOwnEmbeddingModelWins() {
		EmbeddingModel own = new EmbeddingModel() {

			@Override
			public EmbeddingResponse call(EmbeddingRequest request) {
				return new EmbeddingResponse(List.of());
			}

			@Override
			public float[] embed(Document document) {
				return new float[0];
			}

		};
		encoder().withBean("own", EmbeddingModel.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(EmbeddingModel.class).doesNotHaveBean("minilmEmbeddingModel");
			assertThat(context.getBean(EmbeddingModel.class)).isSameAs(own);
		});
	}

	@Test
	void withoutSpringAiOrTheTokenizerNothingOfEmbeddingsLoads() {
		this.contextRunner
			.withPropertyValues("onnx.models.plain.location=" + encoderLocation,
					"onnx.models.plain.warmup.enabled=false")
			.withClassLoader(new FilteredClassLoader("ai.djl"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TextEmbedders.class));
		this.contextRunner
			.withPropertyValues("onnx.models.plain.location=" + encoderLocation,
					"onnx.models.plain.warmup.enabled=false")
			.withClassLoader(new FilteredClassLoader("org.springframework.ai", "dev.langchain4j"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("plainEmbeddingModel")
				.hasSingleBean(TextEmbedders.class));
	}

	@Test
	void anEmbeddingSectionWithoutTheLibrariesNamesTheStarter() {
		encoder().withClassLoader(new FilteredClassLoader("ai.djl"))
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("onnx.models.minilm.embedding.tokenizer")
				.hasMessageContaining("ai.djl.huggingface:tokenizers")
				.hasMessageContaining("onnx-gpu-spring-boot-starter-embedding"));
	}

	@Test
	void aTokenizerLargerThanTheEmbeddingTableStopsStartUp() {
		String larger = TestTokenizers.largerWordPiece(files, "larger.json", 5);
		encoder("onnx.models.minilm.embedding.tokenizer=" + larger).run(
				(context) -> assertThat(failure(context)).hasMessageContaining("onnx.models.minilm.embedding.tokenizer")
					.hasMessageContaining("vocabulary has " + (VOCABULARY + 5) + " ids")
					.hasMessageContaining("embedding table has " + VOCABULARY + " rows")
					.hasMessageContaining("tokenizer.json exported with the model"));
	}

	@Test
	void aModelWithoutTheInputsOfATextEncoderStopsStartUp() {
		String sequence = ModelFiles.write(files, "sequence.onnx", TestModels.sequenceModel());
		encoder("onnx.models.minilm.location=" + sequence)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("minilm")
				.hasMessageContaining("onnx.models.minilm.embedding.tokenizer")
				.hasMessageContaining("no input [input_ids, attention_mask]")
				.hasMessageContaining("onnx.models.minilm.location"));
	}

	@Test
	void aPoolingThatDoesNotFitTheOutputsRankStopsStartUp() {
		encoder("onnx.models.minilm.embedding.pooling=none")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("onnx.models.minilm.embedding.pooling")
				.hasMessageContaining("needs an output of [batch, hidden]")
				.hasMessageContaining("=mean"));
		String pooled = ModelFiles.write(files, "pooled.onnx", TestModels.embeddingModel());
		encoder("onnx.models.minilm.location=" + pooled)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("onnx.models.minilm.embedding.pooling")
				.hasMessageContaining("needs an output of [batch, sequence, hidden]")
				.hasMessageContaining("=none"));
	}

	@Test
	void aBucketAboveMaxLengthStopsStartUp() {
		encoder("onnx.models.minilm.embedding.max-length=128", "onnx.models.minilm.embedding.sequence-buckets=64,256")
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("onnx.models.minilm.embedding.sequence-buckets")
				.hasMessageContaining("256 is above max-length 128")
				.hasMessageContaining("remove 256"));
	}

	@Test
	void anOutputThatIsNotTheModelsStopsStartUp() {
		encoder("onnx.models.minilm.embedding.output=pooler_output")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("onnx.models.minilm.embedding.output")
				.hasMessageContaining("no output 'pooler_output'")
				.hasMessageContaining("[last_hidden_state]"));
	}

	private static OnnxModelException failure(
			org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable cause = context.getStartupFailure();
		while (cause != null && !(cause instanceof OnnxModelException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("an OnnxModelException in %s", context.getStartupFailure()).isNotNull();
		return (OnnxModelException) cause;
	}

	// the encoder's token states for the given ids, unpadded, as the model computes them
	private static float[][] hidden(long[] ids) throws Exception {
		long[] ones = new long[ids.length];
		java.util.Arrays.fill(ones, 1);
		try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, new long[][] { ids });
				OnnxTensor mask = OnnxTensor.createTensor(environment, new long[][] { ones });
				OnnxTensor types = OnnxTensor.createTensor(environment, new long[][] { new long[ids.length] });
				OrtSession.Result result = reference
					.run(Map.of("input_ids", idTensor, "attention_mask", mask, "token_type_ids", types))) {
			return ((float[][][]) result.get("last_hidden_state").orElseThrow().getValue())[0];
		}
	}

	private static float[] mean(float[][] states) {
		float[] mean = new float[states[0].length];
		for (float[] state : states) {
			for (int i = 0; i < mean.length; i++) {
				mean[i] += state[i] / states.length;
			}
		}
		return mean;
	}

	private static float[] normalized(float[] vector) {
		double norm = norm(vector);
		float[] normalized = new float[vector.length];
		for (int i = 0; i < vector.length; i++) {
			normalized[i] = (float) (vector[i] / norm);
		}
		return normalized;
	}

	private static double norm(float[] vector) {
		double squares = 0;
		for (float value : vector) {
			squares += value * value;
		}
		return Math.sqrt(squares);
	}

}
