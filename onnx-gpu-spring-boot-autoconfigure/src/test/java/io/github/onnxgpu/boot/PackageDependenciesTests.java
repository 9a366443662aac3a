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
 * Tests that the model and warmup packages depend on each other one way only, and that a
 * model's warmup state is not public API.
 */
class PackageDependenciesTests {

	private static final Path SOURCES = Path.of("src", "main", "java", "io", "github", "onnxgpu", "boot");

	// warmup.request may use the model package: it runs after the models are warm
	@Test
	void warmupPackageDoesNotUseTheModelPackage() throws IOException {
		assertThat(importsOf(SOURCES.resolve("warmup"), "io.github.onnxgpu.boot.model.")).isEmpty();
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

	private static List<String> importsOf(Path folder, String prefix) throws IOException {
		assertThat(folder).isDirectory();
		List<String> found = new ArrayList<>();
		try (Stream<Path> files = Files.list(folder)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				for (String line : Files.readAllLines(file)) {
					if (line.contains(prefix)) {
						found.add(folder.relativize(file) + ": " + line.strip());
					}
				}
			}
		}
		return found;
	}

}
