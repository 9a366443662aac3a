package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Points ONNX Runtime at a folder of native libraries the user provides
 * ({@value #PROPERTY}), such as ONNX Runtime's libraries built for CUDA 13 beside the JNI
 * library of the jar on the class path, after checking that the folder's core library
 * ({@code libonnxruntime}) and JNI library ({@code libonnxruntime4j_jni}) are of the
 * jar's version: the jar's Java classes call that JNI library, which calls the core
 * library's API of its own version, and a mismatch crashes or fails at the first call.
 * The versions are read from the files' ELF symbol versions ({@code VERS_<version>}), so
 * nothing is loaded to check them.
 * <p>
 * Sets {@link NativeLibraryCacheInstaller#NATIVE_PATH}, which the native library cache
 * then leaves alone: this folder wins over the cache.
 */
public class NativeFolderInstaller {

	/**
	 * The property naming the folder.
	 */
	public static final String PROPERTY = "onnx.native.path";

	private final Properties systemProperties;

	private final NativeLibrarySourceLocator jar;

	/**
	 * Create an installer.
	 * @param systemProperties the system properties to set, usually
	 * {@link System#getProperties()}
	 * @param jar finds the ONNX Runtime jar, whose version the folder must have
	 */
	public NativeFolderInstaller(Properties systemProperties, NativeLibrarySourceLocator jar) {
		this.systemProperties = systemProperties;
		this.jar = jar;
	}

	/**
	 * Check the folder and point ONNX Runtime at it.
	 * @param folder the folder, {@code null} when none is configured (nothing is done)
	 * @return the ONNX Runtime version of the folder's libraries, {@code null} when no
	 * folder is configured or its version cannot be read on this platform
	 * @throws OnnxModelException when the folder cannot be used
	 */
	public @Nullable String install(@Nullable Path folder) {
		if (folder == null) {
			return null;
		}
		Path directory = folder.toAbsolutePath().normalize();
		String current = this.systemProperties.getProperty(NativeLibraryCacheInstaller.NATIVE_PATH);
		if (current != null && !Path.of(current).toAbsolutePath().normalize().equals(directory)) {
			throw failure("the system property " + NativeLibraryCacheInstaller.NATIVE_PATH + " names another folder ("
					+ current + ") than " + directory, "set only one of them");
		}
		if (!Files.isDirectory(directory)) {
			throw failure("the native library folder " + directory + " does not exist or is no folder",
					"point " + PROPERTY + " at the folder holding libonnxruntime and libonnxruntime4j_jni");
		}
		Path core = directory.resolve(System.mapLibraryName("onnxruntime"));
		Path jni = directory.resolve(System.mapLibraryName("onnxruntime4j_jni"));
		String jarVersion = jarVersion();
		String sameVersion = (jarVersion != null) ? " of version " + jarVersion : "";
		if (!Files.isRegularFile(core)) {
			throw failure("the folder " + directory + " has no " + core.getFileName(),
					"put ONNX Runtime's core library" + sameVersion + " there (the lib folder of its release archive)");
		}
		if (!Files.isRegularFile(jni)) {
			throw failure("the folder " + directory + " has no " + jni.getFileName(),
					"copy " + jni.getFileName() + " there from the ONNX Runtime jar on the class path"
							+ " (ai/onnxruntime/native/<platform>/ inside it)" + sameVersion);
		}
		boolean elf = this.systemProperties.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
		String coreVersion = elf ? version(core, true) : null;
		String jniVersion = elf ? version(jni, false) : null;
		if (coreVersion == null || jniVersion == null) {
			// not an ELF platform: nothing to read the versions from without loading
			this.systemProperties.setProperty(NativeLibraryCacheInstaller.NATIVE_PATH, directory.toString());
			return null;
		}
		if (!coreVersion.equals(jniVersion) || (jarVersion != null && !jarVersion.equals(coreVersion))) {
			throw failure(
					"the native libraries in " + directory + " do not match: " + core.getFileName() + " is "
							+ coreVersion + ", " + jni.getFileName() + " is built for " + jniVersion
							+ ((jarVersion != null) ? ", the ONNX Runtime jar on the class path is " + jarVersion : ""),
					"put the libraries of one ONNX Runtime version" + sameVersion + " there (the core library from "
							+ "its release archive, the JNI library from its jar), or depend on the jar of the "
							+ "folder's version");
		}
		this.systemProperties.setProperty(NativeLibraryCacheInstaller.NATIVE_PATH, directory.toString());
		return coreVersion;
	}

	private @Nullable String jarVersion() {
		try (NativeLibrarySource source = this.jar.locate()) {
			String version = (source != null) ? source.version() : null;
			return (version == null || version.equals("unknown")) ? null : version;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static String version(Path library, boolean defined) {
		try {
			ElfSymbolVersions versions = ElfSymbolVersions.read(library);
			String version = ElfSymbolVersions.onnxRuntimeVersion(defined ? versions.defined() : versions.needed());
			if (version == null) {
				throw failure(
						library + " names no ONNX Runtime version (no VERS_<version> symbol version): it is "
								+ "not ONNX Runtime's " + (defined ? "core" : "JNI") + " library",
						"put ONNX Runtime's own libraries in the folder");
			}
			return version;
		}
		catch (IOException ex) {
			throw failure(library + " cannot be read as a shared library: " + ex.getMessage(),
					"put ONNX Runtime's own libraries in the folder");
		}
	}

	private static OnnxModelException failure(String problem, String fix) {
		return new OnnxModelException(null, PROPERTY, problem,
				fix + ", or remove " + PROPERTY + " to load the libraries of the jar");
	}

}
