package io.github.onnxgpu.boot.autoconfigure.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheInstaller;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult.Status;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResults;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibrarySourceLocator;
import io.github.onnxgpu.boot.test.OnnxRuntimeLibraries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests {@link OnnxNativePathEnvironmentPostProcessor}: {@code onnx.native.path} is
 * checked and set before the native library cache runs, which then leaves it alone.
 */
class OnnxNativePathEnvironmentPostProcessorTests {

	@TempDir
	Path folder;

	@TempDir
	Path cache;

	private final Properties systemProperties = new Properties();

	@AfterEach
	void resetCacheResult() {
		NativeLibraryCacheResults.reset();
	}

	@Test
	void theNativeFolderWinsOverTheNativeLibraryCache() throws Exception {
		OnnxRuntimeLibraries.extract(this.folder);
		this.systemProperties.setProperty("os.name", "Linux");
		MockEnvironment environment = new MockEnvironment().withProperty("onnx.native.path", this.folder.toString())
			.withProperty("onnx.native.cache.directory", this.cache.resolve("libs").toString());
		postProcessInSpringBootsOrder(environment);
		assertThat(this.systemProperties.getProperty(NativeLibraryCacheInstaller.NATIVE_PATH))
			.isEqualTo(this.folder.toAbsolutePath().toString());
		assertThat(NativeLibraryCacheResults.last().status()).isEqualTo(Status.SKIPPED);
		assertThat(this.cache.resolve("libs")).doesNotExist();
	}

	@Test
	void aMismatchedFolderStopsStartUpBeforeOnnxRuntimeLoads() throws Exception {
		Files.writeString(this.folder.resolve("libonnxruntime.so"), "not a library");
		Files.writeString(this.folder.resolve("libonnxruntime4j_jni.so"), "not a library");
		this.systemProperties.setProperty("os.name", "Linux");
		MockEnvironment environment = new MockEnvironment().withProperty("onnx.native.path", this.folder.toString());
		assertThatExceptionOfType(OnnxModelException.class).isThrownBy(() -> postProcessInSpringBootsOrder(environment))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("onnx.native.path"));
		assertThat(this.systemProperties).doesNotContainKey(NativeLibraryCacheInstaller.NATIVE_PATH);
	}

	@Test
	void bothPostProcessorsAreRegisteredAndTheFolderComesFirst() throws IOException {
		Properties factories = new Properties();
		// the module's own, not the first on the class path
		try (InputStream in = Files.newInputStream(Path.of("target", "classes", "META-INF", "spring.factories"))) {
			factories.load(in);
		}
		assertThat(factories.getProperty("org.springframework.boot.EnvironmentPostProcessor")).contains(
				OnnxNativePathEnvironmentPostProcessor.class.getName(),
				OnnxNativeCacheEnvironmentPostProcessor.class.getName());
		assertThat(OnnxNativePathEnvironmentPostProcessor.ORDER)
			.isLessThan(OnnxNativeCacheEnvironmentPostProcessor.ORDER);
	}

	private void postProcessInSpringBootsOrder(MockEnvironment environment) {
		SpringApplication application = new SpringApplication();
		new OnnxNativePathEnvironmentPostProcessor(this.systemProperties, NativeLibrarySourceLocator::onClassPath)
			.postProcessEnvironment(environment, application);
		new OnnxNativeCacheEnvironmentPostProcessor(LogFactory.getLog(OnnxNativeCacheEnvironmentPostProcessor.class),
				this.systemProperties, NativeLibrarySourceLocator::onClassPath, () -> "no NVIDIA driver (test)")
			.postProcessEnvironment(environment, application);
	}

}
