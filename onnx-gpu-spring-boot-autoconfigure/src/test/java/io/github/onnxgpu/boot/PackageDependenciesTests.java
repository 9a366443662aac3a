package io.github.onnxgpu.boot;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.github.onnxgpu.boot.internal.session.ManagedModel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the packages depend on each other one way: the auto-configuration on
 * everything, the endpoint on the machinery, the machinery ({@code internal}) on the
 * application's API, and the API ({@code model}, {@code observation}, the root package)
 * on nothing of the starter's but itself.
 */
class PackageDependenciesTests {

	private static final Path SOURCES = Path.of("src", "main", "java", "io", "github", "onnxgpu", "boot");

	private static final String BOOT = "io.github.onnxgpu.boot.";

	@Test
	void apiDependsOnlyOnTheApi() throws IOException {
		List<String> found = new ArrayList<>();
		found.addAll(importsOf(SOURCES, false, BOOT + "internal.", BOOT + "autoconfigure.", BOOT + "actuate."));
		found.addAll(importsOf(SOURCES.resolve("model"), true, BOOT + "internal.", BOOT + "autoconfigure.",
				BOOT + "actuate."));
		found.addAll(importsOf(SOURCES.resolve("observation"), true, BOOT + "internal.", BOOT + "autoconfigure.",
				BOOT + "actuate.", BOOT + "model."));
		assertThat(found).isEmpty();
	}

	@Test
	void machineryDoesNotDependOnTheAutoConfigurationOrTheEndpoint() throws IOException {
		assertThat(importsOf(SOURCES.resolve("internal"), true, BOOT + "autoconfigure.", BOOT + "actuate.")).isEmpty();
	}

	@Test
	void endpointDoesNotDependOnTheAutoConfiguration() throws IOException {
		assertThat(importsOf(SOURCES.resolve("actuate"), true, BOOT + "autoconfigure.")).isEmpty();
	}

	// warmup.request may use the session package: it runs after the models are warm
	@Test
	void warmupPackageDoesNotUseTheSessionPackage() throws IOException {
		assertThat(importsOf(SOURCES.resolve("internal").resolve("warmup"), false, BOOT + "internal.session."))
			.isEmpty();
		assertThat(importsOf(SOURCES.resolve("internal").resolve("warmup").resolve("npy"), false,
				BOOT + "internal.session."))
			.isEmpty();
	}

	@Test
	void warmupStateTransitionsAreNotPublic() {
		List<String> publicMethods = Arrays.stream(ManagedModel.class.getDeclaredMethods())
			.filter((method) -> Modifier.isPublic(method.getModifiers()))
			.map(Method::getName)
			.toList();
		assertThat(publicMethods).doesNotContain("warmupStarted", "warmupEnded", "warmupFinished", "terminateWarmup")
			.contains("warmupResult", "status");
	}

	@Test
	void noCycleBetweenTheStartersPackages() throws IOException {
		Map<String, Map<String, String>> graph = compiledDependencies();
		assertThat(graph).containsKeys("io.github.onnxgpu.boot.actuate", "io.github.onnxgpu.boot.autoconfigure",
				"io.github.onnxgpu.boot.internal.session");
		List<String> cycles = new ArrayList<>();
		for (String start : graph.keySet()) {
			List<String> cycle = cycleFrom(start, graph);
			if (cycle != null) {
				cycles.add(describe(cycle, graph));
			}
		}
		assertThat(cycles).as("packages that depend on each other, with a class on each arrow").isEmpty();
	}

	// the arrows docs/contributing.md allows, checked on the compiled classes (every
	// class they name, not only imports): the auto-configuration's own package names
	// none of its sub-packages (they build on it), nor the endpoint
	@Test
	void rootAutoConfigurationPackageDependsOnNoSubPackageNorOnTheEndpoint() throws IOException {
		Map<String, String> arrows = compiledDependencies().get(BOOT + "autoconfigure");
		assertThat(arrows).isNotNull();
		assertThat(arrows.keySet())
			.noneMatch((target) -> target.startsWith(BOOT + "autoconfigure.") || target.startsWith(BOOT + "actuate"));
	}

	@Test
	void machineryAndTheEndpointNameNoAutoConfigurationClass() throws IOException {
		compiledDependencies().forEach((from, arrows) -> {
			if (from.startsWith(BOOT + "internal") || from.startsWith(BOOT + "actuate")) {
				assertThat(arrows.keySet()).as(from).noneMatch((target) -> target.startsWith(BOOT + "autoconfigure"));
			}
		});
	}

	@Test
	void cycleIsFound() {
		Map<String, Map<String, String>> graph = Map.of("a", Map.of("b", "a.A -> b.B"), "b", Map.of("c", "b.B -> c.C"),
				"c", Map.of("a", "c.C -> a.A"), "d", Map.of("a", "d.D -> a.A"));
		assertThat(cycleFrom("a", graph)).containsExactly("a", "b", "c", "a");
		assertThat(cycleFrom("d", graph)).containsExactly("a", "b", "c", "a");
		assertThat(cycleFrom("a", Map.of("a", Map.of("b", "a.A -> b.B"), "b", Map.of()))).isNull();
	}

	// package -> package it names -> one example (class -> class), read from every
	// compiled class of the module: the names in a class file's constant pool
	private static Map<String, Map<String, String>> compiledDependencies() throws IOException {
		Path classes = Path.of("target", "classes");
		Pattern reference = Pattern.compile("io/github/onnxgpu/boot/[A-Za-z0-9_/$]+");
		Map<String, Map<String, String>> graph = new TreeMap<>();
		try (Stream<Path> files = Files.walk(classes.resolve("io/github/onnxgpu/boot"))) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".class")).toList()) {
				String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
				name = name.substring(0, name.length() - ".class".length());
				String from = packageOf(name);
				Map<String, String> arrows = graph.computeIfAbsent(from, (key) -> new TreeMap<>());
				Matcher matcher = reference.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
				while (matcher.find()) {
					String target = packageOf(matcher.group());
					if (!target.equals(from)) {
						arrows.putIfAbsent(target, name.replace('/', '.') + " -> " + matcher.group().replace('/', '.'));
					}
				}
			}
		}
		return graph;
	}

	private static String packageOf(String internalName) {
		return internalName.substring(0, internalName.lastIndexOf('/')).replace('/', '.');
	}

	private static @Nullable List<String> cycleFrom(String start, Map<String, Map<String, String>> graph) {
		return cycleFrom(start, graph, new ArrayList<>(), new HashSet<>());
	}

	private static @Nullable List<String> cycleFrom(String current, Map<String, Map<String, String>> graph,
			List<String> path, Set<String> done) {
		int seen = path.indexOf(current);
		if (seen >= 0) {
			List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
			cycle.add(current);
			return cycle;
		}
		if (!done.add(current)) {
			return null;
		}
		path.add(current);
		for (String next : graph.getOrDefault(current, Map.of()).keySet()) {
			List<String> cycle = cycleFrom(next, graph, path, done);
			if (cycle != null) {
				return cycle;
			}
		}
		path.remove(path.size() - 1);
		return null;
	}

	private static String describe(List<String> cycle, Map<String, Map<String, String>> graph) {
		StringBuilder description = new StringBuilder(String.join(" -> ", cycle));
		for (int i = 0; i + 1 < cycle.size(); i++) {
			description.append("\n  ").append(graph.get(cycle.get(i)).get(cycle.get(i + 1)));
		}
		return description.toString();
	}

	private static List<String> importsOf(Path folder, boolean recursive, String... prefixes) throws IOException {
		assertThat(folder).isDirectory();
		List<String> found = new ArrayList<>();
		try (Stream<Path> files = recursive ? Files.walk(folder) : Files.list(folder)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				for (String line : Files.readAllLines(file)) {
					for (String prefix : prefixes) {
						if (line.startsWith("import ") && line.contains(prefix)) {
							found.add(SOURCES.relativize(file) + ": " + line.strip());
						}
					}
				}
			}
		}
		return found;
	}

}
