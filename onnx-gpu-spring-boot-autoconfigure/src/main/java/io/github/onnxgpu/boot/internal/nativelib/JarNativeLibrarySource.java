package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.jspecify.annotations.Nullable;

/**
 * The native libraries of one platform folder ({@code ai/onnxruntime/native/<platform>/})
 * of an ONNX Runtime jar, the GPU or the CPU artifact alike. Only the files directly in
 * that folder are taken: they are all ONNX Runtime's loader looks for, and the macOS
 * debug symbol folders ({@code *.dSYM}) of the CPU jar are not needed at run time.
 */
public final class JarNativeLibrarySource implements NativeLibrarySource {

	/**
	 * The folder of ONNX Runtime's jars that holds one sub-folder per platform.
	 */
	public static final String NATIVE_FOLDER = "ai/onnxruntime/native/";

	private final JarFile jar;

	private final String description;

	private final String platform;

	private final Map<String, JarEntry> entries;

	private final List<NativeLibrary> libraries;

	private JarNativeLibrarySource(JarFile jar, String description, String platform) {
		this.jar = jar;
		this.description = description;
		this.platform = platform;
		this.entries = platformEntries(jar, NATIVE_FOLDER + platform + "/");
		this.libraries = this.entries.values()
			.stream()
			.map((entry) -> new NativeLibrary(fileName(entry), entry.getSize(), entry.getCrc()))
			.toList();
	}

	/**
	 * Open the libraries of a platform in a jar file.
	 * @param jar the jar file
	 * @param platform the platform folder name, such as {@code linux-x64}
	 * @return the source, to be closed by the caller; without libraries when the jar has
	 * none for the platform
	 * @throws IOException when the jar cannot be read
	 */
	public static JarNativeLibrarySource open(Path jar, String platform) throws IOException {
		return new JarNativeLibrarySource(new JarFile(jar.toFile()), jar.toString(), platform);
	}

	/**
	 * Find the jar that ONNX Runtime would unpack its main library from, without loading
	 * any ONNX Runtime class (that would unpack the libraries to a temporary folder
	 * first). Works for a plain jar on the class path as well as for a jar nested in a
	 * Spring Boot fat jar.
	 * @param classLoader the class loader ONNX Runtime is loaded by
	 * @param platform the platform folder name, {@code null} for an unsupported platform
	 * @return the source, to be closed by the caller, {@code null} when no jar on the
	 * class path holds ONNX Runtime's main library for the platform
	 * @throws IOException when the jar cannot be read
	 */
	public static @Nullable JarNativeLibrarySource locate(ClassLoader classLoader, @Nullable String platform)
			throws IOException {
		if (platform == null) {
			return null;
		}
		URL url = classLoader.getResource(NATIVE_FOLDER + platform + "/" + mainLibraryFileName());
		if (url == null) {
			return null;
		}
		URLConnection connection = url.openConnection();
		if (!(connection instanceof JarURLConnection jarConnection)) {
			// an exploded class path folder: nothing to gain, the files are already on
			// disk
			return null;
		}
		// a private JarFile: a cached one is shared with the class loader and must not be
		// closed
		jarConnection.setUseCaches(false);
		return new JarNativeLibrarySource(jarConnection.getJarFile(), jarConnection.getJarFileURL().toString(),
				platform);
	}

	private static String mainLibraryFileName() {
		// ONNX Runtime's own mapping: macOS JDKs may still answer with ".jnilib"
		return System.mapLibraryName("onnxruntime").replace("jnilib", "dylib");
	}

	private static Map<String, JarEntry> platformEntries(JarFile jar, String folder) {
		List<JarEntry> files = new ArrayList<>();
		jar.stream().filter((entry) -> isFileDirectlyIn(entry, folder)).forEach(files::add);
		files.sort(Comparator.comparing(JarNativeLibrarySource::fileName));
		Map<String, JarEntry> entries = new LinkedHashMap<>();
		files.forEach((entry) -> entries.put(fileName(entry), entry));
		return entries;
	}

	private static boolean isFileDirectlyIn(JarEntry entry, String folder) {
		String name = entry.getName();
		return !entry.isDirectory() && name.startsWith(folder) && name.indexOf('/', folder.length()) < 0;
	}

	private static String fileName(JarEntry entry) {
		return entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
	}

	@Override
	public String description() {
		return this.description;
	}

	@Override
	public String version() {
		try {
			Manifest manifest = this.jar.getManifest();
			String version = (manifest != null)
					? manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION) : null;
			return (version != null) ? version : "unknown";
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	@Override
	public String platform() {
		return this.platform;
	}

	@Override
	public List<NativeLibrary> libraries() {
		return this.libraries;
	}

	@Override
	public InputStream open(NativeLibrary library) throws IOException {
		JarEntry entry = this.entries.get(library.name());
		if (entry == null) {
			throw new IOException("No " + library.name() + " for " + this.platform + " in " + this.description);
		}
		return this.jar.getInputStream(entry);
	}

	@Override
	public void close() throws IOException {
		this.jar.close();
	}

}
