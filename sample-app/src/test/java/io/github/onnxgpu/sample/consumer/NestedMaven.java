package io.github.onnxgpu.sample.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Runs the project's Maven wrapper on another project, with the outer build's local
 * repository and offline mode, so that a nested build finds what the outer one downloaded
 * and never reaches the network when the outer build may not.
 *
 * @param wrapper the {@code mvnw} script
 * @param localRepository the local repository the nested build installs into
 * @param repositoryTail the outer build's local repository, read after
 * {@code localRepository} (Maven's {@code maven.repo.local.tail}), or {@code null}
 * @param offline whether the outer build runs offline
 */
record NestedMaven(Path wrapper, Path localRepository, @Nullable Path repositoryTail, boolean offline) {

	private static final String QUICK_START = "-XX:TieredStopAtLevel=1";

	/**
	 * The settings the outer build passes through surefire, with defaults for runs from
	 * an IDE.
	 * @param projectRoot the repository root
	 * @return the nested Maven
	 */
	static NestedMaven fromSystemProperties(Path projectRoot) {
		String repository = System.getProperty("consumer.maven-repo-local",
				Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
		// "offline=true" or "offline=false", see sample-app/pom.xml
		boolean offline = System.getProperty("consumer.maven-offline", "offline=false").equals("offline=true");
		return new NestedMaven(projectRoot.resolve("mvnw"), Path.of(repository), null, offline);
	}

	/**
	 * This Maven with a local repository of its own in front of the outer build's one,
	 * which it reads but never writes.
	 * @param head the repository read first, and written
	 * @return the nested Maven
	 */
	NestedMaven withRepositoryHead(Path head) {
		return new NestedMaven(this.wrapper, head, this.localRepository, this.offline);
	}

	/**
	 * Build a project and fail with the end of its log when the build fails.
	 * @param pom the project
	 * @param log where the build's output goes
	 * @param timeout the longest the build may take
	 * @param arguments goals, profiles and properties
	 * @throws IOException when the build fails or times out
	 * @throws InterruptedException when interrupted
	 */
	void build(Path pom, Path log, Duration timeout, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(this.wrapper.toString(), "-B", "-ntp",
				"-Dmaven.repo.local=" + this.localRepository, "-f", pom.toString()));
		if (this.repositoryTail != null) {
			command.add("-Dmaven.repo.local.tail=" + this.repositoryTail);
		}
		if (this.offline) {
			command.add("-o");
		}
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).directory(pom.getParent().toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		// short builds: the JVM's start-up, not its peak speed, is what they wait for
		builder.environment().merge("MAVEN_OPTS", QUICK_START, (options, quick) -> options + " " + quick);
		Process process = builder.start();
		if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			process.descendants().forEach(ProcessHandle::destroy);
			process.destroy();
			process.waitFor(10, TimeUnit.SECONDS);
			throw new IOException("Maven did not finish within " + timeout + ": " + command + "\n" + tail(log));
		}
		if (process.exitValue() != 0) {
			throw new IOException("Maven failed with " + process.exitValue() + ": " + command + "\n" + tail(log));
		}
	}

	static String tail(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

}
