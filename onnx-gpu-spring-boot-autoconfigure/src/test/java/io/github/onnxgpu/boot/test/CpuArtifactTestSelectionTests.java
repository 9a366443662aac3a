package io.github.onnxgpu.boot.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code src/test/cpu-artifact-tests.txt}, the test classes that run a second
 * time against the CPU-only ONNX Runtime artifact: every test class whose compiled code
 * (with its nested classes and the test helpers it uses) names something that differs
 * between the two artifacts is listed, and every line names a test class. Reading class
 * files catches what a class literal, a method call and a property string reach alike.
 */
class CpuArtifactTestSelectionTests {

	private static final Path LIST = Path.of("src", "test", "cpu-artifact-tests.txt");

	private static final Path TEST_CLASSES = Path.of("target", "test-classes");

	private static final Path MAIN_CLASSES = Path.of("target", "classes");

	/**
	 * ONNX Runtime's provider API and the provider libraries in its jar, as class files
	 * name them.
	 */
	private static final List<String> ONNX_RUNTIME = List.of("ai/onnxruntime/OrtProvider", "ai/onnxruntime/providers/",
			"getAvailableProviders", "addCUDA", "addTensorrt", "libonnxruntime_providers");

	/**
	 * The starter's provider selection and native library cache, and how the endpoint
	 * asks ONNX Runtime for its providers. A test that only reads other parts of the
	 * endpoint (warm-up requests, progress) runs once: {@code OnnxEndpointTests} reads
	 * the provider list against both artifacts.
	 */
	private static final List<String> STARTER = List.of("io/github/onnxgpu/boot/internal/provider/",
			"io/github/onnxgpu/boot/internal/nativelib/",
			"io/github/onnxgpu/boot/autoconfigure/nativelib/OnnxNativeCacheEnvironmentPostProcessor",
			"io/github/onnxgpu/boot/actuate/ProviderAvailability");

	/**
	 * Properties that make the starter try a GPU provider whatever the driver probe says,
	 * or point the native cache somewhere, and the endpoint's provider and device lists:
	 * in JSON paths, or as a whole name in the class file (the accessors
	 * {@code providers()} and {@code devices()} of its response, a JSON field read by
	 * name).
	 */
	private static final List<String> NAMES = List.of("onnx.cuda.probe", "onnx.tensorrt.enabled",
			"onnx.native.cache.directory", "$.providers", "$.devices", constant("providers"), constant("devices"));

	@Test
	void everyTestThatTouchesWhatDiffersBetweenTheArtifactsRunsAgainstBoth() throws IOException {
		Map<String, String> classes = classFiles();
		Map<String, Set<String>> touches = touches(classes);
		Set<String> listed = listed();
		Map<String, Set<String>> missing = new TreeMap<>();
		touches.forEach((type, what) -> {
			String simpleName = type.substring(type.lastIndexOf('/') + 1);
			if (isTestClass(type) && !what.isEmpty() && !listed.contains(simpleName)) {
				missing.put("**/" + simpleName + ".java", what);
			}
		});
		assertThat(missing).as("test classes to add to %s (with what they touch)", LIST).isEmpty();
	}

	@Test
	void everyListedTestExists() throws IOException {
		Set<String> testClasses = classFiles().keySet()
			.stream()
			.filter(CpuArtifactTestSelectionTests::isTestClass)
			.map((type) -> type.substring(type.lastIndexOf('/') + 1))
			.collect(Collectors.toSet());
		assertThat(listed()).as("lines of %s", LIST).isNotEmpty().isSubsetOf(testClasses);
	}

	@Test
	void everyNameTheSelectionLooksForStillExists() throws IOException {
		// a package or property renamed without this list would select nothing
		for (String name : STARTER) {
			Path path = MAIN_CLASSES.resolve(name.endsWith("/") ? name : name + ".class");
			assertThat(path).as("%s in the starter's classes", name).exists();
		}
		String metadata = Files.readString(MAIN_CLASSES.resolve("META-INF/spring-configuration-metadata.json"));
		for (String property : NAMES.subList(0, 3)) {
			assertThat(metadata).as("configuration metadata").contains("\"" + property + "\"");
		}
	}

	/**
	 * A whole name as a class file's constant pool holds it: tag 1 (UTF-8) and a two-byte
	 * length before the characters, so that {@code providers} does not match
	 * {@code getAvailableProviders}.
	 * @param name the name
	 * @return the bytes, one char each
	 */
	private static String constant(String name) {
		return new String(new char[] { 1, (char) (name.length() >> 8), (char) (name.length() & 0xFF) }) + name;
	}

	private static Map<String, Set<String>> touches(Map<String, String> classes) {
		Map<String, Set<String>> touches = new LinkedHashMap<>();
		classes.forEach((type, content) -> touches.put(type,
				Stream.of(ONNX_RUNTIME, STARTER, NAMES)
					.flatMap(List::stream)
					.filter(content::contains)
					.map((name) -> name.replaceAll("\\p{Cntrl}", ""))
					.collect(Collectors.toCollection(TreeSet::new))));
		// through a test helper (a fake jar, a probe, a forked process's main class)
		boolean changed = true;
		while (changed) {
			changed = false;
			for (Map.Entry<String, String> type : classes.entrySet()) {
				for (Map.Entry<String, Set<String>> helper : touches.entrySet()) {
					String name = helper.getKey();
					if (!isTestClass(name) && !name.equals(type.getKey()) && !helper.getValue().isEmpty()
							&& type.getValue().contains(name)) {
						changed |= touches.get(type.getKey()).add("through " + name);
					}
				}
			}
		}
		return touches;
	}

	/**
	 * The test output's classes by top-level binary name, each with the text of its class
	 * file and those of its nested classes.
	 * @return the classes
	 * @throws IOException when a class file cannot be read
	 */
	private static Map<String, String> classFiles() throws IOException {
		Map<String, String> classes = new TreeMap<>();
		try (Stream<Path> files = Files.walk(TEST_CLASSES)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".class")).toList()) {
				String name = TEST_CLASSES.relativize(file).toString().replace('\\', '/');
				String type = name.substring(0, name.length() - ".class".length()).split("\\$")[0];
				if (!type.endsWith("/" + CpuArtifactTestSelectionTests.class.getSimpleName())) {
					// names in a class file are ASCII: one char per byte
					classes.merge(type, new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1),
							String::concat);
				}
			}
		}
		assertThat(classes).as("test classes in %s", TEST_CLASSES.toAbsolutePath()).isNotEmpty();
		return classes;
	}

	private static Set<String> listed() throws IOException {
		return Files.readAllLines(LIST)
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.peek((line) -> assertThat(line).as("a line of %s", LIST).matches("\\*\\*/\\w+Tests\\.java"))
			.map((line) -> line.substring("**/".length(), line.length() - ".java".length()))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static boolean isTestClass(String type) {
		return type.endsWith("Tests");
	}

}
