package io.github.onnxgpu.benchmarks.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Finds a Java 25 or later runtime for the AOT cache scenario, without needing one for
 * the build: the system property {@code benchmarks.java25.home}, the environment variable
 * {@code JAVA25_HOME}, the JVM running the benchmarks, then the JDKs in
 * {@code /usr/lib/jvm} (Debian's and Ubuntu's folder, where Temurin's packages go too).
 *
 * @param java the {@code java} executable, {@code null} when none was found
 * @param version its {@code JAVA_VERSION}, or why none was found
 */
record Java25(Path java, String version) {

	private static final int REQUIRED = 25;

	static Java25 find(Map<String, String> environment) {
		List<Path> homes = new ArrayList<>();
		String property = System.getProperty("benchmarks.java25.home");
		if (property != null) {
			homes.add(Path.of(property));
		}
		String variable = environment.get("JAVA25_HOME");
		if (variable != null) {
			homes.add(Path.of(variable));
		}
		homes.add(Path.of(System.getProperty("java.home")));
		Path jvms = Path.of("/usr/lib/jvm");
		if (Files.isDirectory(jvms)) {
			try (Stream<Path> found = Files.list(jvms)) {
				found.sorted().forEach(homes::add);
			}
			catch (IOException ex) {
				// nothing more to look at
			}
		}
		return find(homes);
	}

	static Java25 find(List<Path> homes) {
		List<String> seen = new ArrayList<>();
		for (Path home : homes) {
			String version = version(home);
			Path java = home.resolve("bin").resolve("java");
			if (version != null && major(version) >= REQUIRED && Files.isExecutable(java)) {
				return new Java25(java, version);
			}
			seen.add(home + " (" + ((version != null) ? "Java " + version : "no release file") + ")");
		}
		return new Java25(null, "no Java " + REQUIRED + " or later found (the AOT cache's -XX:AOTCacheOutput needs "
				+ "it); looked at " + seen + "; set JAVA25_HOME or -Dbenchmarks.java25.home");
	}

	boolean found() {
		return this.java != null;
	}

	private static String version(Path home) {
		Path release = home.resolve("release");
		if (!Files.isRegularFile(release)) {
			return null;
		}
		try (var reader = Files.newBufferedReader(release)) {
			Properties properties = new Properties();
			properties.load(reader);
			String version = properties.getProperty("JAVA_VERSION");
			return (version != null) ? version.replace("\"", "") : null;
		}
		catch (IOException | IllegalArgumentException ex) {
			return null;
		}
	}

	private static int major(String version) {
		String first = version.split("[.+-]", 2)[0];
		try {
			int major = Integer.parseInt(first);
			// "1.8.0" is Java 8
			return (major == 1) ? 8 : major;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
