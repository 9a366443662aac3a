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
 * Tests that the property tables of the documentation, which people edit, agree with the
 * configuration metadata that the build generates from {@code @ConfigurationProperties}.
 * The tables are those headed {@code | Property |} in {@code README.md} and
 * {@code docs/*.md}; they live in {@code docs/configuration.md}, one per feature.
 */
class ReadmePropertiesTests {

	private static final String CONFIGURATION_PAGE = "docs/configuration.md";

	// | `onnx.cuda.enabled` | `true` | Whether ... |
	private static final Pattern ROW = Pattern.compile("^\\|\\s*`(onnx\\.[^`]+)`\\s*\\|([^|]*)\\|(.*)\\|\\s*$");

	@Test
	void docsHaveARowForEveryPropertyWithItsDefault() throws IOException {
		Map<String, List<DocumentedDefault>> documented = documentedDefaults();
		List<String> problems = new ArrayList<>();
		for (Map<String, Object> property : metadataProperties()) {
			String name = (String) property.get("name");
			String expected = (property.get("defaultValue") != null) ? String.valueOf(property.get("defaultValue"))
					: null;
			String row = "| `" + name + "` | " + ((expected != null) ? "`" + expected + "`" : "") + " | "
					+ property.get("description") + " |";
			if (!documented.containsKey(name)) {
				problems.add("No documentation page has a row for " + name + "; add this row to the table of its "
						+ "feature in " + CONFIGURATION_PAGE + " (one table per prefix, such as 'CUDA: onnx.cuda.*'; "
						+ "a new feature gets a new section with a table headed '| Property | Default | "
						+ "Description |'):\n  " + row);
				continue;
			}
			for (DocumentedDefault documentedDefault : documented.get(name)) {
				if (expected != null && !expected.equals(documentedDefault.value())) {
					problems
						.add(documentedDefault.page() + " gives " + name + " the default '" + documentedDefault.value()
								+ "' but it is '" + expected + "'; change its row to:\n  " + row);
				}
			}
		}
		assertThat(problems).withFailMessage("%s", String.join("\n", problems)).isEmpty();
	}

	@Test
	void docsDescribeNoPropertyThatDoesNotExist() throws IOException {
		List<String> known = metadataProperties().stream().map((property) -> (String) property.get("name")).toList();
		// rows such as onnx.models.<name>.location are entries of a map: the metadata has
		// the map; rows such as onnx.warmup.requests[i].path are fields of a list's
		// elements: the metadata has the list
		List<String> unknown = documentedDefaults().entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().contains("<") && !entry.getKey().endsWith("*"))
			.filter((entry) -> !known.contains(entry.getKey().replaceFirst("\\[i]\\..*$", "")))
			.map((entry) -> entry.getKey() + " (" + entry.getValue().get(0).page() + ")")
			.toList();
		assertThat(unknown).as("property table rows of properties the starter does not have; rename or remove them")
			.isEmpty();
	}

	@Test
	void propertyTablesAreFoundInTheConfigurationPage() throws IOException {
		// the tests above would pass vacuously on pages without tables
		assertThat(documentedDefaults().values()).flatExtracting((rows) -> rows)
			.extracting(DocumentedDefault::page)
			.contains(CONFIGURATION_PAGE);
	}

	private static List<Map<String, Object>> metadataProperties() throws IOException {
		try (InputStream input = new ClassPathResource("META-INF/spring-configuration-metadata.json")
			.getInputStream()) {
			return JsonPath.read(new String(input.readAllBytes()), "$.properties[?(@.name =~ /onnx\\..*/)]");
		}
	}

	/**
	 * Every table row of the documentation pages that names an {@code onnx.*} property,
	 * with its default as written (without backticks, blank when none is given) and the
	 * page it is on.
	 */
	private static Map<String, List<DocumentedDefault>> documentedDefaults() throws IOException {
		Map<String, List<DocumentedDefault>> defaults = new LinkedHashMap<>();
		for (Path page : DocumentationPages.pages()) {
			boolean propertyTable = false;
			String previous = "";
			for (String line : Files.readAllLines(page)) {
				if (line.startsWith("|") && !previous.startsWith("|")) {
					// a table's header: other tables (metrics, for one) name onnx.*
					// things too
					propertyTable = line.toLowerCase(Locale.ROOT).startsWith("| property |");
				}
				Matcher row = ROW.matcher(line);
				if (propertyTable && row.matches()) {
					defaults.computeIfAbsent(row.group(1), (name) -> new ArrayList<>())
						.add(new DocumentedDefault(DocumentationPages.name(page),
								row.group(2).strip().replace("`", "")));
				}
				previous = line;
			}
		}
		return defaults;
	}

	private record DocumentedDefault(String page, String value) {
	}

}
