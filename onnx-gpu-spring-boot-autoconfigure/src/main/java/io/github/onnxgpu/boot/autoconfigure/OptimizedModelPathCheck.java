package io.github.onnxgpu.boot.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResults;
import io.github.onnxgpu.boot.internal.session.ModelDefinition;
import io.github.onnxgpu.boot.internal.session.TuningCandidate;

/**
 * Refuses an optimized model path ({@code session.optimized-model-path}, of a model or of
 * a tuning candidate) where ONNX Runtime would write over something that is not its to
 * write: a file the configuration names as input (any model's file, a warm-up
 * {@code .npy} sample, a warm-up request body), also through a symbolic or hard link, or
 * a place the starter or the system own (system folders, the JDK, the class path, the
 * native library, TensorRT and tuning caches). ONNX Runtime overwrites the file without a
 * word, and a model rewritten with CPU-specific operators loads at the next start.
 */
final class OptimizedModelPathCheck {

	private static final String PROPERTY = "session.optimized-model-path";

	private static final ResourceLoader RESOURCES = new DefaultResourceLoader();

	// writing into these breaks the host, whatever the user's rights
	private static final List<String> SYSTEM_FOLDERS = List.of("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32",
			"/lib64", "/libx32", "/proc", "/sbin", "/sys", "/usr");

	private OptimizedModelPathCheck() {
	}

	/**
	 * Check the optimized model paths of every model and tuning candidate.
	 * @param properties the properties
	 * @param definitions the models
	 * @param nativeCache where the native library cache is, {@code null} when unused
	 * @throws OnnxModelException naming the model, the property and the fix when a path
	 * is refused
	 */
	static void check(OnnxProperties properties, List<ModelDefinition> definitions, @Nullable Path nativeCache) {
		List<Named> inputs = inputs(properties, definitions);
		List<Named> places = places(definitions, nativeCache);
		for (ModelDefinition definition : definitions) {
			String name = definition.name();
			check(name, OnnxModelException.modelProperty(name, PROPERTY), definition.session().optimizedModelPath(),
					inputs, places);
			List<TuningCandidate> candidates = definition.tuning().candidates();
			for (int i = 0; i < candidates.size(); i++) {
				TuningCandidate candidate = candidates.get(i);
				if (candidate.settings().containsKey(PROPERTY)) {
					check(name, OnnxModelException.modelProperty(name, "tuning.candidates[" + i + "]." + PROPERTY),
							candidate.session().optimizedModelPath(), inputs, places);
				}
			}
		}
	}

	private static void check(String model, String property, @Nullable String configured, List<Named> inputs,
			List<Named> places) {
		if (configured == null || configured.isBlank()) {
			return;
		}
		Path target;
		try {
			target = Path.of(configured.strip()).toAbsolutePath().normalize();
		}
		catch (InvalidPathException ex) {
			return;
		}
		String fix = "set " + property + " to a new file of its own, such as /tmp/" + model + "-optimized.onnx";
		if (Files.exists(target)) {
			for (Named input : inputs) {
				if (sameFile(target, input.path())) {
					throw new OnnxModelException(model, property,
							"the optimized model would be written over " + input.what() + " " + input.path()
									+ ((target.equals(input.path())) ? "" : " (" + target + " leads to it)"),
							fix);
				}
			}
			if (Files.isDirectory(target)) {
				throw new OnnxModelException(model, property, target + " is a folder, not a file", fix);
			}
		}
		Path real = realPath(target);
		for (Named place : places) {
			if (real.startsWith(place.path())) {
				throw new OnnxModelException(model, property, "the optimized model would be written into "
						+ place.what() + " " + place.path() + ", which is not the application's to change", fix);
			}
		}
	}

	private static boolean sameFile(Path target, Path input) {
		try {
			return Files.exists(input) && Files.isSameFile(target, input);
		}
		catch (IOException | SecurityException ex) {
			return false;
		}
	}

	// the real path of the part that exists, with the rest appended: symbolic links on
	// the way count where they lead
	private static Path realPath(Path path) {
		Path existing = path;
		Path rest = null;
		while (existing != null && !Files.exists(existing)) {
			Path name = existing.getFileName();
			rest = (rest != null) ? name.resolve(rest) : name;
			existing = existing.getParent();
		}
		if (existing == null) {
			return path;
		}
		try {
			Path real = existing.toRealPath();
			return (rest != null) ? real.resolve(rest) : real;
		}
		catch (IOException | SecurityException ex) {
			return path;
		}
	}

	private static List<Named> inputs(OnnxProperties properties, List<ModelDefinition> definitions) {
		List<Named> inputs = new ArrayList<>();
		for (ModelDefinition definition : definitions) {
			addFile(inputs, "the model file of '" + definition.name() + "'", definition.location());
		}
		properties.getModels().forEach((name, model) -> {
			for (Map<String, String> sample : model.getWarmup().getSamples()) {
				sample.values()
					.stream()
					.filter(Objects::nonNull)
					.forEach((location) -> addFile(inputs, "the warm-up sample of '" + name + "'",
							RESOURCES.getResource(location.strip())));
			}
		});
		List<WarmupRequest> requests = properties.getWarmup().getRequests();
		for (int i = 0; i < requests.size(); i++) {
			addFile(inputs, "the body of warm-up request " + i, requests.get(i).getBody());
		}
		return inputs;
	}

	private static void addFile(List<Named> inputs, String what, @Nullable Resource resource) {
		if (resource == null) {
			return;
		}
		try {
			if (resource.isFile()) {
				inputs.add(new Named(what, resource.getFile().toPath().toAbsolutePath().normalize()));
			}
		}
		catch (IOException | RuntimeException ex) {
			// not a file on disk: nothing ONNX Runtime could write over
		}
	}

	private static List<Named> places(List<ModelDefinition> definitions, @Nullable Path nativeCache) {
		List<Named> places = new ArrayList<>();
		for (String folder : SYSTEM_FOLDERS) {
			addPlace(places, "the system folder", Path.of(folder));
		}
		addPlace(places, "the JDK", Path.of(System.getProperty("java.home")));
		Path workingDirectory = realPath(Path.of("").toAbsolutePath());
		for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
			if (!entry.isBlank()) {
				addClassPathEntry(places, entry, workingDirectory);
			}
		}
		addPlace(places, "the native library cache", nativeCache);
		for (ModelDefinition definition : definitions) {
			addPlace(places, "the TensorRT engine cache", definition.tensorrt().engineCacheRoot());
			addPlace(places, "the TensorRT timing cache", definition.tensorrt().timingCacheRoot());
			addPlace(places, "the tuning cache", definition.tuning().cacheDirectory());
		}
		return places;
	}

	private static void addClassPathEntry(List<Named> places, String entry, Path workingDirectory) {
		try {
			Path path = realPath(Path.of(entry).toAbsolutePath().normalize());
			// a class path of '.' would otherwise refuse every relative path
			if (!workingDirectory.startsWith(path)) {
				places.add(new Named("the class path entry", path));
			}
		}
		catch (InvalidPathException ex) {
			// not a path on this file system, such as a wildcard lib/* on Windows
		}
	}

	private static void addPlace(List<Named> places, String what, @Nullable Path path) {
		if (path == null) {
			return;
		}
		try {
			places.add(new Named(what, realPath(path.toAbsolutePath().normalize())));
		}
		catch (InvalidPathException | SecurityException ex) {
			// not a place on this file system
		}
	}

	/**
	 * The native library cache folder in use in this JVM.
	 * @return the folder, {@code null} when the cache is not used
	 */
	static @Nullable Path nativeCache() {
		NativeLibraryCacheResult result = NativeLibraryCacheResults.last();
		return result.inUse() ? result.directory() : null;
	}

	private record Named(String what, Path path) {

	}

}
