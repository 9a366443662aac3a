package io.github.onnxgpu.boot.internal.diagnostics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.diagnostics.OnnxRuntimeArtifacts.Artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link OnnxRuntimeArtifacts}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OnnxRuntimeArtifactsTests {

	@TempDir
	Path jars;

	@Test
	void theBuildsClassPathHasOneOnnxRuntimeOfTheVersionTheStarterIsBuiltWith() {
		List<Artifact> artifacts = OnnxRuntimeArtifacts.find(getClass().getClassLoader());
		assertThat(artifacts).hasSize(1);
		assertThat(artifacts.get(0).version()).isEqualTo(OnnxRuntimeArtifacts.BUILT_WITH);
		assertThat(artifacts.get(0).title()).startsWith("onnxruntime");
		assertThatNoException().isThrownBy(() -> OnnxRuntimeArtifacts.check(getClass().getClassLoader()));
	}

	@Test
	void twoOnnxRuntimeJarsStopStartUpNamingBothAndTheExclusion() throws IOException {
		try (URLClassLoader classLoader = new URLClassLoader(
				new URL[] { jar("onnxruntime_gpu-1.29.0.jar", "onnxruntime_gpu", "1.29.0"),
						jar("onnxruntime-1.21.1.jar", "onnxruntime", "1.21.1") },
				null)) {
			assertThat(OnnxRuntimeArtifacts.find(classLoader)).extracting(Artifact::version)
				.containsExactly("1.29.0", "1.21.1");
			assertThatExceptionOfType(OnnxModelException.class)
				.isThrownBy(() -> OnnxRuntimeArtifacts.check(classLoader))
				.withMessageContaining("ONNX Runtime is on the class path 2 times")
				.withMessageContaining("onnxruntime_gpu 1.29.0")
				.withMessageContaining("onnxruntime 1.21.1")
				.withMessageContaining("onnxruntime-1.21.1.jar")
				.withMessageContaining("exclude com.microsoft.onnxruntime:onnxruntime from the dependency");
		}
	}

	@Test
	void oneOnnxRuntimeOfAnotherVersionIsAWarning(CapturedOutput output) throws IOException {
		try (URLClassLoader classLoader = new URLClassLoader(
				new URL[] { jar("onnxruntime-1.21.1.jar", "onnxruntime", "1.21.1") }, null)) {
			assertThatNoException().isThrownBy(() -> OnnxRuntimeArtifacts.check(classLoader));
			assertThat(output).contains("ONNX Runtime onnxruntime 1.21.1")
				.contains("the starter is built with " + OnnxRuntimeArtifacts.BUILT_WITH);
		}
	}

	private URL jar(String name, String title, String version) throws IOException {
		Path file = this.jars.resolve(name);
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, title);
		manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
		try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
			jar.putNextEntry(new JarEntry(OnnxRuntimeArtifacts.CLASS_RESOURCE));
			jar.closeEntry();
		}
		return file.toUri().toURL();
	}

}
