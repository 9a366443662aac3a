package io.github.onnxgpu.boot.internal.session;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how model files reach ONNX Runtime: by path from disk, from memory otherwise.
 */
class ModelSourceTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void modelWithExternalWeightsLoadsAndWarmsFromDisk() {
		Path model = externalWeightsModel().writeTo(this.models.resolve("external.onnx"));
		assertThat(this.models.resolve("external.onnx.data")).exists();
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=file:" + model,
					"onnx.models.detector.warmup.shapes[0].x=1x3x16x16")
			.run((context) -> {
				ModelFiles.publishReady(context.getSourceApplicationContext());
				ManagedModel loaded = context.getBean(ManagedModelRegistry.class).get("detector");
				assertThat(loaded.status()).isEqualTo(ModelStatus.READY);
			});
	}

	@Test
	void modelInsideAJarOnTheClassPathLoadsFromMemory() throws IOException {
		Path jar = this.models.resolve("models.jar");
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
			zip.putNextEntry(new JarEntry("models/conv-net.onnx"));
			zip.write(TestModels.convNet());
			zip.closeEntry();
		}
		try (URLClassLoader classLoader = new URLClassLoader(new URL[] { jar.toUri().toURL() },
				getClass().getClassLoader())) {
			this.contextRunner.withClassLoader(classLoader)
				.withPropertyValues("onnx.models.detector.location=classpath:/models/conv-net.onnx",
						"onnx.models.detector.warmup.shapes[0].x=1x3x8x8")
				.run((context) -> {
					ModelFiles.publishReady(context.getSourceApplicationContext());
					ManagedModel loaded = context.getBean(ManagedModelRegistry.class).get("detector");
					assertThat(loaded.status()).isEqualTo(ModelStatus.READY);
					assertThat(loaded.definition().describeLocation()).isEqualTo("classpath:/models/conv-net.onnx");
				});
		}
	}

	@Test
	void modelWithExternalWeightsInsideAJarFailsStartupNamingTheFix() throws IOException {
		Path onDisk = externalWeightsModel().writeTo(this.models.resolve("external.onnx"));
		Path jar = this.models.resolve("models.jar");
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
			for (String name : List.of("external.onnx", "external.onnx.data")) {
				zip.putNextEntry(new JarEntry("models/" + name));
				zip.write(Files.readAllBytes(onDisk.resolveSibling(name)));
				zip.closeEntry();
			}
		}
		try (URLClassLoader classLoader = new URLClassLoader(new URL[] { jar.toUri().toURL() },
				getClass().getClassLoader())) {
			this.contextRunner.withClassLoader(classLoader)
				.withPropertyValues("onnx.models.detector.location=classpath:/models/external.onnx",
						"onnx.models.detector.warmup.enabled=false")
				.run((context) -> assertThat(StartupFailures.modelException(context))
					.hasMessageContaining("external data")
					.satisfies((ex) -> assertThat(ex.getAction()).contains("file:")));
		}
	}

	@Test
	void symbolicLinkLoopIsReportedAsALoop() throws IOException {
		Path first = this.models.resolve("first.onnx");
		Path second = this.models.resolve("second.onnx");
		Files.createSymbolicLink(first, second);
		Files.createSymbolicLink(second, first);
		this.contextRunner.withPropertyValues("onnx.models.detector.location=file:" + first)
			.run((context) -> assertThat(StartupFailures.modelException(context).getMessage())
				.contains("the model file file:" + first + " is a symbolic link loop")
				.doesNotContain("does not exist"));
	}

	@Test
	void danglingSymbolicLinkNamesWhereItLeads() throws IOException {
		Path link = Files.createSymbolicLink(this.models.resolve("link.onnx"), this.models.resolve("gone.onnx"));
		this.contextRunner.withPropertyValues("onnx.models.detector.location=file:" + link)
			.run((context) -> assertThat(StartupFailures.modelException(context).getMessage())
				.contains("is a symbolic link to " + this.models.resolve("gone.onnx") + ", which does not exist"));
	}

	/**
	 * The conv net with its convolution weights in {@code external.onnx.data}.
	 */
	private static OnnxModelBuilder externalWeightsModel() {
		Random random = new Random(3);
		float[] weights = new float[4 * 3 * 3 * 3];
		for (int i = 0; i < weights.length; i++) {
			weights[i] = random.nextFloat() - 0.5f;
		}
		return OnnxModelBuilder.graph("external-weights")
			.input("x", TensorType.FLOAT, "N", 3, "H", "W")
			.output("y", TensorType.FLOAT, "N", 4, "H", "W")
			.externalInitializer("w", weights, "external.onnx.data", 4, 3, 3, 3)
			.node("Conv", List.of("x", "w"), List.of("y"),
					io.github.onnxgpu.testmodels.Attribute.ints("pads", 1, 1, 1, 1));
	}

}
