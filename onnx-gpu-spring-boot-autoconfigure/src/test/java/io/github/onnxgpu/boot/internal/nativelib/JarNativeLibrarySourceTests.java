package io.github.onnxgpu.boot.internal.nativelib;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JarNativeLibrarySource}.
 */
class JarNativeLibrarySourceTests {

	@TempDir
	Path temp;

	@Test
	void openWhenGpuArtifactListsThePlatformLibrariesOnly() throws Exception {
		Path jar = FakeOnnxRuntimeJar.gpu(2).writeTo(this.temp.resolve("onnxruntime_gpu.jar"));
		try (JarNativeLibrarySource source = JarNativeLibrarySource.open(jar, "linux-x64")) {
			assertThat(source.libraries()).extracting(NativeLibrary::name)
				.containsExactly("libonnxruntime.so", "libonnxruntime4j_jni.so", "libonnxruntime_providers_cuda.so",
						"libonnxruntime_providers_shared.so", "libonnxruntime_providers_tensorrt.so");
			assertThat(source.libraries()).allSatisfy((library) -> assertThat(library.size()).isEqualTo(2048));
			assertThat(source.version()).isEqualTo("1.29.0");
		}
	}

	@Test
	void openWhenCpuArtifactSkipsDebugSymbolFolders() throws Exception {
		Path jar = FakeOnnxRuntimeJar.cpu().writeTo(this.temp.resolve("onnxruntime.jar"));
		try (JarNativeLibrarySource source = JarNativeLibrarySource.open(jar, "osx-aarch64")) {
			assertThat(source.libraries()).extracting(NativeLibrary::name).containsExactly("libonnxruntime.dylib");
		}
	}

	@Test
	void openReadsTheLibraryContent() throws Exception {
		FakeOnnxRuntimeJar fake = FakeOnnxRuntimeJar.cpu();
		Path jar = fake.writeTo(this.temp.resolve("onnxruntime.jar"));
		try (JarNativeLibrarySource source = JarNativeLibrarySource.open(jar, "linux-x64");
				InputStream in = source.open(source.libraries().get(0))) {
			assertThat(in.readAllBytes()).isEqualTo(fake.content(FakeOnnxRuntimeJar.LINUX + "libonnxruntime.so"));
		}
	}

	@Test
	void checksumWhenSameLibrariesElsewhereIsTheSame() throws Exception {
		Path first = FakeOnnxRuntimeJar.cpu().writeTo(this.temp.resolve("first.jar"));
		Path second = FakeOnnxRuntimeJar.cpu().writeTo(this.temp.resolve("second.jar"));
		Path other = FakeOnnxRuntimeJar.cpu()
			.library(FakeOnnxRuntimeJar.LINUX + "libonnxruntime.so", 5)
			.writeTo(this.temp.resolve("other.jar"));
		try (JarNativeLibrarySource a = JarNativeLibrarySource.open(first, "linux-x64");
				JarNativeLibrarySource b = JarNativeLibrarySource.open(second, "linux-x64");
				JarNativeLibrarySource c = JarNativeLibrarySource.open(other, "linux-x64")) {
			assertThat(a.checksum()).hasSize(8).isEqualTo(b.checksum()).isNotEqualTo(c.checksum());
		}
	}

	@Test
	void locateFindsTheJarHoldingTheMainLibrary() throws Exception {
		Path jar = FakeOnnxRuntimeJar.cpu().writeTo(this.temp.resolve("onnxruntime.jar"));
		try (URLClassLoader classLoader = new URLClassLoader(new URL[] { jar.toUri().toURL() }, null);
				JarNativeLibrarySource source = JarNativeLibrarySource.locate(classLoader, NativePlatform.current())) {
			assertThat(source).isNotNull();
			assertThat(source.description()).endsWith("onnxruntime.jar");
			assertThat(source.libraries()).isNotEmpty();
		}
	}

	@Test
	void locateWhenNoOnnxRuntimeOnClassPathIsNull() throws Exception {
		try (URLClassLoader classLoader = new URLClassLoader(new URL[0], null)) {
			assertThat(JarNativeLibrarySource.locate(classLoader, "linux-x64")).isNull();
		}
	}

}
