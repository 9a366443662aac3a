package io.github.onnxgpu.boot.autoconfigure;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.onnxgpu.boot.internal.metrics.OnnxMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the README documents the names the code uses: the metric names and the
 * properties under the starter's prefixes, read from the constants and from the generated
 * configuration metadata.
 */
class DocumentedNamesTests {

	private static final Path README = Path.of("..", "README.md");

	@Test
	void readmeMetricsTableListsExactlyTheMetricNameConstants() throws Exception {
		List<String> constants = Arrays.stream(OnnxMetrics.class.getFields())
			.filter((field) -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
			.map(DocumentedNamesTests::value)
			.toList();
		assertThat(constants).contains(OnnxMetrics.INFERENCE, OnnxMetrics.SESSION_CREATION);
		String metrics = section(Files.readString(README), "### Metrics");
		Matcher rows = Pattern
			.compile("^\\| `(" + Pattern.quote(OnnxProperties.PREFIX) + "\\.[a-z.]+)` \\|", Pattern.MULTILINE)
			.matcher(metrics);
		List<String> documented = rows.results().map((row) -> row.group(1)).toList();
		assertThat(documented).containsExactlyInAnyOrderElementsOf(constants);
	}

	private static String section(String markdown, String heading) {
		int start = markdown.indexOf(heading);
		assertThat(start).as("README section %s", heading).isNotNegative();
		int end = markdown.indexOf("\n#", start + heading.length());
		return markdown.substring(start, (end != -1) ? end : markdown.length());
	}

	private static String value(Field field) {
		try {
			return (String) field.get(null);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
