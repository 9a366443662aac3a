package io.github.onnxgpu.boot;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

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
