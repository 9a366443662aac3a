package io.github.onnxgpu.boot.autoconfigure.embedding;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheInstaller;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.TestTokenizers;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the embedding beans under Spring AOT: an application with an embedding model
 * processed ahead of time, its generated code compiled and started, as
 * {@code process-aot} and {@code -Dspring.aot.enabled=true} do.
 */
@CompileWithForkedClassLoader
class OnnxEmbeddingAotTests {

	// the forked class loader loads ONNX Runtime's and DJL's native libraries a second
	// time in this JVM: from fresh extractions, which the JVM accepts (the same file
	// loaded in two class loaders it refuses)
	private static @Nullable String nativePath;

	private static @Nullable String engineCache;

	@TempDir
	static Path djlCache;

	@TempDir
	Path buildTime;

	@TempDir
	Path runTime;

	@BeforeAll
	static void extractNativeLibrariesAfresh() {
		nativePath = System.clearProperty(NativeLibraryCacheInstaller.NATIVE_PATH);
		engineCache = System.setProperty("ENGINE_CACHE_DIR", djlCache.toString());
	}

	@AfterAll
	static void restore() {
		if (nativePath != null) {
			System.setProperty(NativeLibraryCacheInstaller.NATIVE_PATH, nativePath);
		}
		if (engineCache != null) {
			System.setProperty("ENGINE_CACHE_DIR", engineCache);
		}
		else {
			System.clearProperty("ENGINE_CACHE_DIR");
		}
	}

	@Test
	void aotProcessedApplicationServesItsEmbeddingModel() {
		TestGenerationContext generation = new TestGenerationContext();
		ClassName[] initializer = new ClassName[1];
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class, OnnxEmbeddingAutoConfiguration.class))
			.withPropertyValues(properties(this.buildTime))
			.prepare((context) -> initializer[0] = new ApplicationContextAotGenerator()
				.processAheadOfTime((GenericApplicationContext) context.getSourceApplicationContext(), generation));
		generation.writeGeneratedContent();
		TestCompiler.forSystem().with(generation).compile((compiled) -> {
			try (GenericApplicationContext context = new GenericApplicationContext()) {
				TestPropertyValues.of(properties(this.runTime)).applyTo(context);
				compiled.getInstance(ApplicationContextInitializer.class, initializer[0].toString())
					.initialize(context);
				context.refresh();
				// the bean's type is the forked class loader's EmbeddingModel: used
				// reflectively
				Object model = context.getBean("minilmEmbeddingModel");
				assertThat(model.getClass().getInterfaces()).extracting(Class::getName)
					.contains("org.springframework.ai.embedding.EmbeddingModel");
				float[] vector = (float[]) model.getClass()
					.getMethod("embed", String.class)
					.invoke(model, "the cat sat");
				assertThat(vector).hasSize(8);
				assertThat(context.getBean("minilmLangChain4jEmbeddingModel")).isNotNull();
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	private static String[] properties(Path directory) {
		String encoder = ModelFiles.write(directory, "encoder.onnx",
				TestModels.textEncoder(TestTokenizers.VOCABULARY, 8, true));
		String tokenizer = TestTokenizers.wordPiece(directory, "tokenizer.json");
		return new String[] { "onnx.cuda.enabled=false", "onnx.models.minilm.location=" + encoder,
				"onnx.models.minilm.embedding.tokenizer=" + tokenizer, "onnx.models.minilm.warmup.enabled=false" };
	}

}
