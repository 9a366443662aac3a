package io.github.onnxgpu.benchmarks.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Java25}: the AOT cache scenario finds a Java 25 runtime by its release
 * file, and says where it looked when there is none.
 */
class Java25Tests {

	@TempDir
	Path jvms;

	@Test
	void findsTheFirstRuntimeOfJava25OrLater() throws IOException {
		Path java17 = jdk("java-17", "17.0.13");
		Path java25 = jdk("temurin-25", "25.0.3");
		Java25 found = Java25.find(List.of(java17, java25));
		assertThat(found.found()).isTrue();
		assertThat(found.java()).isEqualTo(java25.resolve("bin").resolve("java"));
		assertThat(found.version()).isEqualTo("25.0.3");
	}

	@Test
	void withoutJava25SaysWhereItLookedAndHowToPointAtOne() throws IOException {
		Path java17 = jdk("java-17", "17.0.13");
		Path java8 = jdk("java-8", "1.8.0_412");
		Java25 none = Java25.find(List.of(java17, java8, this.jvms.resolve("absent")));
		assertThat(none.found()).isFalse();
		assertThat(none.version()).contains("no Java 25 or later found", "Java 17.0.13", "Java 1.8.0_412",
				"no release file", "JAVA25_HOME");
	}

	private Path jdk(String name, String version) throws IOException {
		Path home = Files.createDirectories(this.jvms.resolve(name));
		Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
		Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
		Files.writeString(java, "#!/bin/sh\n");
		Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
		return home;
	}

}
