package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the property tables in the README, which people edit, agree with the
 * configuration metadata that the build generates from {@code @ConfigurationProperties}.
 */
class ReadmePropertiesTests {

	// | `onnx.cuda.enabled` | `true` | Whether ... |
	private static final Pattern ROW = Pattern.compile("^\\|\\s*`(onnx\\.[^`]+)`\\s*\\|([^|]*)\\|(.*)\\|\\s*$");

	@Test
	void readmeHasARowForEveryPropertyWithItsDefault() throws IOException {
		Map<String, String> readme = readmeDefaults();
		List<String> problems = new ArrayList<>();
		for (Map<String, Object> property : metadataProperties()) {
			String name = (String) property.get("name");
			String expected = (property.get("defaultValue") != null) ? String.valueOf(property.get("defaultValue"))
					: null;
			String row = "| `" + name + "` | " + ((expected != null) ? "`" + expected + "`" : "") + " | "
					+ property.get("description") + " |";
			if (!readme.containsKey(name)) {
				problems.add("README.md has no row for " + name + "; add this row to the table of '## Properties' "
						+ "(or of the section about the feature):\n  " + row);
			}
			else if (expected != null && !expected.equals(readme.get(name))) {
				problems.add("README.md gives " + name + " the default '" + readme.get(name) + "' but it is '"
						+ expected + "'; change its row to:\n  " + row);
			}
		}
		assertThat(problems).withFailMessage("%s", String.join("\n", problems)).isEmpty();
	}

	@Test
	void readmeDescribesNoPropertyThatDoesNotExist() throws IOException {
		List<String> known = metadataProperties().stream().map((property) -> (String) property.get("name")).toList();
		// rows such as onnx.models.<name>.location are entries of a map: the metadata has
		// the map; rows such as onnx.warmup.requests[i].path are fields of a list's
		// elements: the metadata has the list
		List<String> unknown = readmeDefaults().keySet()
			.stream()
			.filter((name) -> !name.contains("<") && !name.endsWith("*"))
			.filter((name) -> !known.contains(name.replaceFirst("\\[i]\\..*$", "")))
			.toList();
		assertThat(unknown).as("README.md rows of properties the starter does not have; rename or remove them")
			.isEmpty();
	}

	private static List<Map<String, Object>> metadataProperties() throws IOException {
		try (InputStream input = new ClassPathResource("META-INF/spring-configuration-metadata.json")
			.getInputStream()) {
			return JsonPath.read(new String(input.readAllBytes()), "$.properties[?(@.name =~ /onnx\\..*/)]");
		}
	}

	/**
	 * Every table row of the README that names an {@code onnx.*} property, with its
	 * default as written (without backticks, blank when none is given).
	 */
	private static Map<String, String> readmeDefaults() throws IOException {
		Path readme = projectReadme();
		Map<String, String> defaults = new LinkedHashMap<>();
		boolean propertyTable = false;
		String previous = "";
		for (String line : Files.readAllLines(readme)) {
			if (line.startsWith("|") && !previous.startsWith("|")) {
				// a table's header: other tables (metrics, for one) name onnx.* things
				// too
				propertyTable = line.toLowerCase(Locale.ROOT).startsWith("| property |");
			}
			Matcher row = ROW.matcher(line);
			if (propertyTable && row.matches()) {
				defaults.put(row.group(1), row.group(2).strip().replace("`", ""));
			}
			previous = line;
		}
		return defaults;
	}

	private static Path projectReadme() {
		// Surefire runs in the module's folder, an IDE perhaps in the project's
		for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
			if (Files.isDirectory(folder.resolve("onnx-gpu-spring-boot-autoconfigure"))
					&& Files.isRegularFile(folder.resolve("README.md"))) {
				return folder.resolve("README.md");
			}
		}
		throw new IllegalStateException("No project README.md above " + Path.of("").toAbsolutePath());
	}

}
