package io.github.onnxgpu.sample.page;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, run headless to render a page once: no sandbox (tests run as
 * root in CI), no GPU, no background traffic, and a fresh profile per run so that nothing
 * cached leaks between runs.
 */
final class HeadlessChromium {

	private static final long TIMEOUT_SECONDS = 60;

	private final Path executable;

	private final Path workDirectory;

	private HeadlessChromium(Path executable, Path workDirectory) {
		this.executable = executable;
		this.workDirectory = workDirectory;
	}

	/**
	 * The {@code chromium} on the PATH.
	 * @return the executable, or {@code null} when it is not installed
	 */
	static Path find() {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			Path candidate = Path.of(directory, "chromium");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	static HeadlessChromium of(Path executable, Path workDirectory) {
		return new HeadlessChromium(executable, workDirectory);
	}

	/**
	 * The DOM after the page's scripts ran.
	 * @param url the page
	 * @return the serialized DOM
	 * @throws IOException when chromium fails
	 * @throws InterruptedException when interrupted
	 */
	String dumpDom(String url) throws IOException, InterruptedException {
		Path output = run("dom", List.of("--dump-dom", url));
		return Files.readString(output, StandardCharsets.UTF_8);
	}

	/**
	 * A screenshot after the page's scripts ran.
	 * @param url the page
	 * @param file the PNG to write
	 * @throws IOException when chromium fails
	 * @throws InterruptedException when interrupted
	 */
	void screenshot(String url, Path file) throws IOException, InterruptedException {
		Files.deleteIfExists(file);
		run("screenshot",
				List.of("--window-size=1200,800", "--hide-scrollbars", "--screenshot=" + file.toAbsolutePath(), url));
		if (!Files.isRegularFile(file)) {
			throw new IOException("chromium wrote no screenshot to " + file);
		}
	}

	private Path run(String name, List<String> action) throws IOException, InterruptedException {
		Path profile = Files.createTempDirectory(this.workDirectory, name + "-profile-");
		Path stdout = this.workDirectory.resolve(name + ".out");
		Path stderr = this.workDirectory.resolve(name + ".err");
		List<String> command = new ArrayList<>(List.of(this.executable.toString(), "--headless", "--no-sandbox",
				"--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--no-first-run", "--user-data-dir=" + profile.toAbsolutePath(),
				// virtual time runs until the page is idle (the fetch of /actuator/onnx
				// answered and rendered), at most 5 s
				"--virtual-time-budget=5000"));
		command.addAll(action);
		Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
			.redirectError(stderr.toFile())
			.start();
		if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
			throw new IOException("chromium did not finish within " + TIMEOUT_SECONDS + " s; see " + stderr);
		}
		if (process.exitValue() != 0) {
			throw new IOException("chromium exited with " + process.exitValue() + ": " + Files.readString(stderr));
		}
		return stdout;
	}

}
