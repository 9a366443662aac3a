package io.github.onnxgpu.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that no {@code @since} tag of the published module names a version after the one
 * being built: a type or method added now is {@code @since} this version, never the next
 * one (read from the module's POM, its parent's version).
 */
class SinceTagsTests {

	private static final Pattern SINCE = Pattern.compile("@since\\s+(\\S+)");

	private static final Pattern PARENT_VERSION = Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>",
			Pattern.DOTALL);

	@Test
	void noSinceTagNamesALaterVersion() throws IOException {
		Matcher parent = PARENT_VERSION.matcher(Files.readString(Path.of("pom.xml")));
		assertThat(parent.find()).as("the parent's version in pom.xml").isTrue();
		String building = parent.group(1).replace("-SNAPSHOT", "");
		List<String> later = new ArrayList<>();
		int tags = 0;
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			for (Path file : files.filter((file) -> file.toString().endsWith(".java")).toList()) {
				Matcher since = SINCE.matcher(Files.readString(file));
				while (since.find()) {
					tags++;
					if (compare(since.group(1), building) > 0) {
						later.add(file.getFileName() + ": @since " + since.group(1));
					}
				}
			}
		}
		assertThat(tags).as("@since tags found").isPositive();
		assertThat(later).as("@since tags after %s, the version being built", building).isEmpty();
	}

	private static int compare(String version, String other) {
		String[] left = version.split("\\.");
		String[] right = other.split("\\.");
		for (int i = 0; i < Math.max(left.length, right.length); i++) {
			int difference = Integer.compare(part(left, i), part(right, i));
			if (difference != 0) {
				return difference;
			}
		}
		return 0;
	}

	private static int part(String[] parts, int index) {
		return (index < parts.length) ? Integer.parseInt(parts[index].replaceAll("\\D.*", "")) : 0;
	}

}
