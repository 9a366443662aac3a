package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.test.OnnxRuntimeLibraries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests {@link NativeFolderInstaller} and {@link ElfSymbolVersions} on the real libraries
 * of the ONNX Runtime jar on the class path, copied to a folder of the user's own, and on
 * copies of them patched to name another version.
 */
class NativeFolderInstallerTests {

	@TempDir
	static Path jarLibraries;

	@TempDir
	Path folder;

	private final Properties systemProperties = new Properties();

	@BeforeAll
	static void extractTheJarsLibraries() throws IOException {
		OnnxRuntimeLibraries.extract(jarLibraries);
	}

	@Test
	void theJarsOwnLibrariesNameTheirOnnxRuntimeVersionInTheirSymbolVersions() throws IOException {
		String version = OrtEnvironment.getEnvironment().getVersion();
		ElfSymbolVersions core = ElfSymbolVersions.read(jarLibraries.resolve("libonnxruntime.so"));
		ElfSymbolVersions jni = ElfSymbolVersions.read(jarLibraries.resolve("libonnxruntime4j_jni.so"));
		assertThat(ElfSymbolVersions.onnxRuntimeVersion(core.defined())).isEqualTo(version);
		assertThat(ElfSymbolVersions.onnxRuntimeVersion(jni.needed())).isEqualTo(version);
		assertThat(ElfSymbolVersions.onnxRuntimeVersion(jni.defined())).isNull();
	}

	@Test
	void aFolderWithLibrariesOfTheJarsVersionBecomesOnnxRuntimesNativePath() throws IOException {
		link("libonnxruntime.so", "libonnxruntime4j_jni.so");
		assertThat(installer().install(this.folder)).isEqualTo(OrtEnvironment.getEnvironment().getVersion());
		assertThat(this.systemProperties.getProperty(NativeLibraryCacheInstaller.NATIVE_PATH))
			.isEqualTo(this.folder.toAbsolutePath().toString());
	}

	@Test
	void aJniLibraryBuiltForAnotherVersionIsRefusedNamingEveryVersion() throws IOException {
		link("libonnxruntime.so");
		patchedCopy("libonnxruntime4j_jni.so", "VERS_1.29.0", "VERS_1.28.0");
		OnnxModelException failure = refused();
		assertThat(failure.getProblem()).contains("libonnxruntime.so is 1.29.0",
				"libonnxruntime4j_jni.so is built for 1.28.0", "the ONNX Runtime jar on the class path is 1.29.0");
		assertThat(this.systemProperties).doesNotContainKey(NativeLibraryCacheInstaller.NATIVE_PATH);
	}

	@Test
	void aCoreLibraryOfAnotherVersionIsRefused() throws IOException {
		link("libonnxruntime4j_jni.so");
		patchedCopy("libonnxruntime.so", "VERS_1.29.0", "VERS_1.30.0");
		assertThat(refused().getProblem()).contains("libonnxruntime.so is 1.30.0");
	}

	@Test
	void aFolderWithoutTheJniLibraryIsRefusedSayingWhereToCopyItFrom() throws IOException {
		link("libonnxruntime.so");
		OnnxModelException failure = refused();
		assertThat(failure.getProblem()).contains("has no libonnxruntime4j_jni.so");
		assertThat(failure.getAction()).contains("from the ONNX Runtime jar", "of version 1.29.0");
	}

	@Test
	void aFileThatIsNoLibraryIsRefused() throws IOException {
		link("libonnxruntime4j_jni.so");
		Files.writeString(this.folder.resolve("libonnxruntime.so"), "not a library");
		assertThat(refused().getProblem()).contains("cannot be read as a shared library", "is not an ELF file");
	}

	@Test
	void aLibraryThatNamesNoOnnxRuntimeVersionIsRefused() throws IOException {
		// the JNI library in place of the core one: an ELF file defining no VERS_
		Files.copy(jarLibraries.resolve("libonnxruntime4j_jni.so"), this.folder.resolve("libonnxruntime.so"));
		link("libonnxruntime4j_jni.so");
		assertThat(refused().getProblem()).contains("names no ONNX Runtime version", "core library");
	}

	@Test
	void aFolderThatDoesNotExistIsRefused() {
		Path missing = this.folder.resolve("missing");
		assertThatExceptionOfType(OnnxModelException.class).isThrownBy(() -> installer().install(missing))
			.satisfies((ex) -> assertThat(ex.getProblem()).contains(missing.toString(), "does not exist"));
	}

	@Test
	void aSystemPropertyNamingAnotherFolderIsRefused() throws IOException {
		link("libonnxruntime.so", "libonnxruntime4j_jni.so");
		this.systemProperties.setProperty(NativeLibraryCacheInstaller.NATIVE_PATH, "/opt/elsewhere");
		assertThat(refused().getProblem()).contains("names another folder (/opt/elsewhere)");
	}

	@Test
	void noFolderConfiguredDoesNothing() {
		assertThat(installer().install(null)).isNull();
		assertThat(this.systemProperties).doesNotContainKey(NativeLibraryCacheInstaller.NATIVE_PATH);
	}

	private OnnxModelException refused() {
		OnnxModelException failure = catchThrowableOfType(OnnxModelException.class,
				() -> installer().install(this.folder));
		assertThat(failure).as("refused").isNotNull();
		assertThat(failure.getProperty()).isEqualTo("onnx.native.path");
		assertThat(failure.getAction()).contains("or remove onnx.native.path");
		return failure;
	}

	private NativeFolderInstaller installer() {
		this.systemProperties.setProperty("os.name", "Linux");
		return new NativeFolderInstaller(this.systemProperties,
				NativeLibrarySourceLocator.onClassPath(getClass().getClassLoader()));
	}

	private void link(String... libraries) throws IOException {
		for (String library : libraries) {
			Files.createSymbolicLink(this.folder.resolve(library), jarLibraries.resolve(library));
		}
	}

	// a copy whose symbol version names another release, as a library of that release
	// would (same length, so every offset stays valid)
	private void patchedCopy(String library, String from, String to) throws IOException {
		byte[] bytes = Files.readAllBytes(jarLibraries.resolve(library));
		// ISO-8859-1 maps each byte to one char, so indices are byte offsets
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
		int replaced = 0;
		for (int i = text.indexOf(from); i >= 0; i = text.indexOf(from, i + 1)) {
			System.arraycopy(replacement, 0, bytes, i, replacement.length);
			replaced++;
		}
		assertThat(replaced).as("occurrences of " + from + " in " + library).isPositive();
		Files.write(this.folder.resolve(library), bytes);
	}

}
