package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult.Status;

/**
 * Points ONNX Runtime at the native library cache: fills the cache when needed and sets
 * the system property {@value #NATIVE_PATH}, which ONNX Runtime reads once, when its
 * first class needing native code initializes. From then on it loads every library it
 * finds in that folder instead of unpacking it to a new temporary folder.
 * <p>
 * Leaves everything as it is when the user already chose where ONNX Runtime loads from,
 * and falls back to ONNX Runtime's own unpacking when the cache cannot be used: the cache
 * must never stop an application from starting. Nor does it ever replace a file or folder
 * it did not create: such a path gives {@link Status#FAILED}.
 */
public class NativeLibraryCacheInstaller {

	/**
	 * The system property naming the folder ONNX Runtime loads its libraries from.
	 */
	public static final String NATIVE_PATH = "onnxruntime.native.path";

	private static final String NATIVE_PREFIX = "onnxruntime.native.";

	private final Properties systemProperties;

	private final NativeLibrarySourceLocator locator;

	/**
	 * Create an installer.
	 * @param systemProperties the system properties to read and set, usually
	 * {@link System#getProperties()}
	 * @param locator finds the libraries to cache
	 */
	public NativeLibraryCacheInstaller(Properties systemProperties, NativeLibrarySourceLocator locator) {
		this.systemProperties = systemProperties;
		this.locator = locator;
	}

	/**
	 * Fill the cache when needed and point ONNX Runtime at it.
	 * @param enabled whether the cache is enabled
	 * @param directory the cache folder, {@code null} for the
	 * {@linkplain NativeLibraryCache#defaultDirectory default}
	 * @param previous the result of an earlier call in this JVM, {@code null} for the
	 * first call
	 * @return what was done
	 */
	public NativeLibraryCacheResult install(boolean enabled, @Nullable Path directory,
			@Nullable NativeLibraryCacheResult previous) {
		long start = System.nanoTime();
		if (!enabled) {
			return NativeLibraryCacheResult.without(Status.DISABLED, "onnx.native.cache.enabled is false",
					since(start));
		}
		String nativePath = this.systemProperties.getProperty(NATIVE_PATH);
		if (previous != null && previous.inUse() && previous.directory().toString().equals(nativePath)) {
			// a second application context in this JVM: ONNX Runtime reads the property
			// once
			return previous;
		}
		String userChoice = userChoice();
		if (userChoice != null) {
			return NativeLibraryCacheResult.without(Status.SKIPPED,
					"the system property " + userChoice + " is set, so ONNX Runtime loads from where it says",
					since(start));
		}
		Path target = directory;
		try (NativeLibrarySource source = this.locator.locate()) {
			if (source == null || source.libraries().isEmpty()) {
				return NativeLibraryCacheResult.without(Status.SKIPPED,
						"there is no ONNX Runtime jar with native libraries for this platform on the class path",
						since(start));
			}
			if (target == null) {
				target = defaultDirectory(source);
			}
			NativeLibraryCacheResult result = new NativeLibraryCache(target).prepare(source);
			this.systemProperties.setProperty(NATIVE_PATH, result.directory().toString());
			return new NativeLibraryCacheResult(result.status(), result.directory(), result.reason(), since(start));
		}
		catch (ForeignContentException ex) {
			return NativeLibraryCacheResult.without(Status.FAILED, ex.getMessage(), since(start));
		}
		catch (IOException | RuntimeException ex) {
			String where = (target != null) ? "the cache in " + target : "the ONNX Runtime jar";
			String fix = (target != null)
					? "; make it writable, or set onnx.native.cache.directory to a writable folder" : "";
			return NativeLibraryCacheResult.without(Status.FAILED, where + " cannot be used (" + ex + ")" + fix,
					since(start));
		}
	}

	private Path defaultDirectory(NativeLibrarySource source) throws IOException {
		String userHome = this.systemProperties.getProperty("user.home");
		// the JVM answers "?" when the user has no home, as in some containers
		if (userHome == null || userHome.isEmpty() || userHome.equals("?")) {
			throw new IOException("there is no user home folder; set onnx.native.cache.directory");
		}
		return NativeLibraryCache.defaultDirectory(Path.of(userHome), source);
	}

	// ONNX Runtime honours a folder for all libraries, a file per library, or skipping
	// one
	private @Nullable String userChoice() {
		for (String name : this.systemProperties.stringPropertyNames()) {
			if (name.equals(NATIVE_PATH)
					|| (name.startsWith(NATIVE_PREFIX) && (name.endsWith(".path") || name.endsWith(".skip")))) {
				return name;
			}
		}
		return null;
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
