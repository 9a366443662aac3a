package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NativeLibraryCacheInstaller}. System properties are a private copy, so
 * that nothing leaks into ONNX Runtime code running in the same JVM.
 */
class NativeLibraryCacheInstallerTests {

	private static final String NATIVE_PATH = NativeLibraryCacheInstaller.NATIVE_PATH;

	@TempDir
	Path temp;

	private final Properties systemProperties = new Properties();

	private Path jar;

	@BeforeEach
	void writeJar() throws IOException {
		this.jar = FakeOnnxRuntimeJar.gpu(4).writeTo(this.temp.resolve("onnxruntime_gpu-1.29.0.jar"));
		this.systemProperties.setProperty("user.home", this.temp.resolve("home").toString());
	}

	@Test
	void installWhenEnabledPointsOnnxRuntimeAtTheCache() {
		Path directory = this.temp.resolve("cache");
		NativeLibraryCacheResult result = installer().install(true, directory, null);
		assertThat(result.status()).isEqualTo(Status.CREATED);
		assertThat(result.directory()).isEqualTo(directory);
		assertThat(this.systemProperties.getProperty(NATIVE_PATH)).isEqualTo(directory.toString());
		assertThat(directory.resolve("libonnxruntime.so")).exists();
	}

	@Test
	void installWhenCacheCompleteIsHit() {
		Path directory = this.temp.resolve("cache");
		installer().install(true, directory, null);
		this.systemProperties.remove(NATIVE_PATH);
		NativeLibraryCacheResult result = installer().install(true, directory, null);
		assertThat(result.status()).isEqualTo(Status.HIT);
		assertThat(this.systemProperties.getProperty(NATIVE_PATH)).isEqualTo(directory.toString());
	}

	@Test
	void installWhenDirectoryNotSetUsesVersionAndChecksumUnderUserHome() throws IOException {
		NativeLibraryCacheResult result = installer().install(true, null, null);
		String checksum;
		try (JarNativeLibrarySource source = JarNativeLibrarySource.open(this.jar, "linux-x64")) {
			checksum = source.checksum();
		}
		Path expected = this.temp.resolve("home/.cache/onnx-gpu-spring-boot/1.29.0-" + checksum);
		assertThat(result.status()).isEqualTo(Status.CREATED);
		assertThat(result.directory()).isEqualTo(expected);
		assertThat(this.systemProperties.getProperty(NATIVE_PATH)).isEqualTo(expected.toString());
	}

	@Test
	void installWhenDisabledDoesNothing() {
		Path directory = this.temp.resolve("cache");
		NativeLibraryCacheResult result = installer().install(false, directory, null);
		assertThat(result.status()).isEqualTo(Status.DISABLED);
		assertThat(result.directory()).isNull();
		assertThat(this.systemProperties).doesNotContainKey(NATIVE_PATH);
		assertThat(directory).doesNotExist();
	}

	@Test
	void installWhenUserSetNativePathLeavesItAlone() {
		this.systemProperties.setProperty(NATIVE_PATH, "/opt/my-onnxruntime");
		Path directory = this.temp.resolve("cache");
		NativeLibraryCacheResult result = installer().install(true, directory, null);
		assertThat(result.status()).isEqualTo(Status.SKIPPED);
		assertThat(result.reason()).contains(NATIVE_PATH);
		assertThat(this.systemProperties.getProperty(NATIVE_PATH)).isEqualTo("/opt/my-onnxruntime");
		assertThat(directory).doesNotExist();
	}

	@Test
	void installWhenUserSetOneLibraryPathLeavesItAlone() {
		// the folder would take precedence over the user's file in ONNX Runtime's loader
		this.systemProperties.setProperty("onnxruntime.native.onnxruntime.path", "/opt/libonnxruntime.so");
		NativeLibraryCacheResult result = installer().install(true, this.temp.resolve("cache"), null);
		assertThat(result.status()).isEqualTo(Status.SKIPPED);
		assertThat(result.reason()).contains("onnxruntime.native.onnxruntime.path");
		assertThat(this.systemProperties).doesNotContainKey(NATIVE_PATH);
	}

	@Test
	void installWhenAlreadyInstalledInThisJvmReportsTheFirstOutcome() {
		Path directory = this.temp.resolve("cache");
		NativeLibraryCacheResult first = installer().install(true, directory, null);
		NativeLibraryCacheResult second = installer().install(true, directory, first);
		assertThat(second).isSameAs(first);
	}

	@Test
	void installWhenDirectoryCannotBeWrittenFallsBackToOnnxRuntime() throws IOException {
		// works for root too, who may write to read-only folders
		Path notAFolder = Files.createFile(this.temp.resolve("not-a-folder"));
		Path directory = notAFolder.resolve("cache");
		NativeLibraryCacheResult result = installer().install(true, directory, null);
		assertThat(result.status()).isEqualTo(Status.FAILED);
		assertThat(result.directory()).isNull();
		assertThat(result.reason()).contains(directory.toString());
		assertThat(this.systemProperties).doesNotContainKey(NATIVE_PATH);
	}

	@Test
	void installWhenFolderHoldsUserFilesFallsBackToOnnxRuntimeAndKeepsThem() throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve("existing"));
		Path notes = Files.writeString(directory.resolve("notes.txt"), "mine");
		NativeLibraryCacheResult result = installer().install(true, directory, null);
		assertThat(result.status()).isEqualTo(Status.FAILED);
		assertThat(result.directory()).isNull();
		assertThat(result.reason()).contains(directory.toString(), "did not create", "onnx.native.cache.directory")
			.doesNotContain("notes.txt");
		assertThat(this.systemProperties).doesNotContainKey(NATIVE_PATH);
		assertThat(notes).hasContent("mine");
		assertThat(NativeLibraryCacheTests.fileNames(directory)).containsExactly("notes.txt");
	}

	@Test
	void installWhenNoUserHomeFallsBackToOnnxRuntime() {
		this.systemProperties.setProperty("user.home", "?");
		NativeLibraryCacheResult result = installer().install(true, null, null);
		assertThat(result.status()).isEqualTo(Status.FAILED);
		assertThat(result.reason()).contains("onnx.native.cache.directory");
		assertThat(this.systemProperties).doesNotContainKey(NATIVE_PATH);
		assertThat(Path.of("?")).doesNotExist();
	}

	@Test
	void installWhenNoOnnxRuntimeJarDoesNothing() {
		NativeLibraryCacheInstaller installer = new NativeLibraryCacheInstaller(this.systemProperties, () -> null);
		NativeLibraryCacheResult result = installer.install(true, this.temp.resolve("cache"), null);
		assertThat(result.status()).isEqualTo(Status.SKIPPED);
		assertThat(result.reason()).contains("no ONNX Runtime jar");
		assertThat(this.systemProperties).doesNotContainKey(NATIVE_PATH);
		assertThat(this.temp.resolve("cache")).doesNotExist();
	}

	@Test
	void installWhenCpuArtifactCachesOnlyWhatThatJarHolds() throws IOException {
		Path cpuJar = FakeOnnxRuntimeJar.cpu().writeTo(this.temp.resolve("onnxruntime-1.29.0.jar"));
		NativeLibraryCacheInstaller installer = new NativeLibraryCacheInstaller(this.systemProperties,
				() -> JarNativeLibrarySource.open(cpuJar, "linux-x64"));
		Path directory = this.temp.resolve("cache");
		NativeLibraryCacheResult result = installer.install(true, directory, null);
		assertThat(result.status()).isEqualTo(Status.CREATED);
		assertThat(NativeLibraryCacheTests.fileNames(directory)).containsExactly("libonnxruntime.so",
				"libonnxruntime4j_jni.so", NativeLibraryManifest.FILE_NAME);
	}

	@Test
	void installWhenSwitchingFromGpuToCpuArtifactRebuildsTheCache() throws IOException {
		Path directory = this.temp.resolve("cache");
		installer().install(true, directory, null);
		this.systemProperties.remove(NATIVE_PATH);
		Path cpuJar = FakeOnnxRuntimeJar.cpu().writeTo(this.temp.resolve("onnxruntime-1.29.0.jar"));
		NativeLibraryCacheResult result = new NativeLibraryCacheInstaller(this.systemProperties,
				() -> JarNativeLibrarySource.open(cpuJar, "linux-x64"))
			.install(true, directory, null);
		assertThat(result.status()).isEqualTo(Status.CREATED);
		assertThat(NativeLibraryCacheTests.fileNames(directory)).doesNotContain("libonnxruntime_providers_cuda.so");
	}

	private NativeLibraryCacheInstaller installer() {
		return new NativeLibraryCacheInstaller(this.systemProperties,
				() -> JarNativeLibrarySource.open(this.jar, "linux-x64"));
	}

}
