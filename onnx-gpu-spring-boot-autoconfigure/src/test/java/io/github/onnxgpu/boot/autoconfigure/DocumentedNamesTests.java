package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.onnxgpu.boot.metrics.OnnxMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the documentation names the metrics the code registers: the metrics table
 * ({@code | metric |} in {@code docs/observability.md}) against the constants of
 * {@link OnnxMetrics}.
 */
class DocumentedNamesTests {

	private static final String METRICS_PAGE = "docs/observability.md";

	@Test
	void metricsTableListsExactlyTheMetricNameConstants() throws IOException {
		List<String> constants = Arrays.stream(OnnxMetrics.class.getFields())
			.filter((field) -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
			.map(DocumentedNamesTests::value)
			.toList();
		assertThat(constants).contains(OnnxMetrics.INFERENCE, OnnxMetrics.SESSION_CREATION);
		List<String> documented = documentedMetrics();
		assertThat(documented)
			.withFailMessage("The metrics table of %s lists %s, but OnnxMetrics has %s; add a row "
					+ "'| `<name>` | <type> | <tags> | <what> |' for each missing metric, remove rows of metrics that "
					+ "no longer exist", METRICS_PAGE, documented, constants)
			.containsExactlyInAnyOrderElementsOf(constants);
	}

	/**
	 * The names in the first column of every table headed {@code | metric |} of the
	 * documentation pages.
	 */
	private static List<String> documentedMetrics() throws IOException {
		Pattern row = Pattern.compile("^\\| `(" + Pattern.quote(OnnxProperties.PREFIX) + "\\.[a-z.]+)` \\|");
		List<String> documented = new ArrayList<>();
		for (Path page : DocumentationPages.pages()) {
			boolean metricsTable = false;
			String previous = "";
			for (String line : Files.readAllLines(page)) {
				if (line.startsWith("|") && !previous.startsWith("|")) {
					metricsTable = line.toLowerCase(Locale.ROOT).startsWith("| metric |");
				}
				Matcher matcher = row.matcher(line);
				if (metricsTable && matcher.find()) {
					documented.add(matcher.group(1));
				}
				previous = line;
			}
		}
		return documented;
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
