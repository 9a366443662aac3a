package io.github.onnxgpu.sample.consumer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An application started with {@code java -jar} on a free port, as a user starts it,
 * stopped with SIGTERM as an orchestrator stops it.
 */
final class RunningJar implements AutoCloseable {

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Process process;

	private final int port;

	private final Path log;

	private final long startedNanos;

	private RunningJar(Process process, int port, Path log, long startedNanos) {
		this.process = process;
		this.port = port;
		this.log = log;
		this.startedNanos = startedNanos;
	}

	/**
	 * Start a jar in a working directory.
	 * @param workingDirectory where it runs (relative {@code file:} locations resolve
	 * there)
	 * @param jar the jar
	 * @param log where its output goes
	 * @return the running application
	 * @throws IOException when it cannot be started
	 */
	static RunningJar start(Path workingDirectory, Path jar, Path log) throws IOException {
		return start(workingDirectory, jar, log, List.of(), List.of());
	}

	/**
	 * Start {@code java -jar} with JVM options and application arguments.
	 * @param workingDirectory the working directory
	 * @param jar the jar
	 * @param log where its output goes
	 * @param jvmOptions options before {@code -jar}, such as
	 * {@code -Dspring.aot.enabled=true}
	 * @param arguments application arguments after the server port
	 * @return the running application
	 * @throws IOException when it cannot be started
	 */
	static RunningJar start(Path workingDirectory, Path jar, Path log, List<String> jvmOptions, List<String> arguments)
			throws IOException {
		int port = freePort();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		long started = System.nanoTime();
		List<String> command = new ArrayList<>(List.of(java));
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new RunningJar(process, port, log, started);
	}

	/**
	 * Wait until {@code /actuator/health/readiness} answers 200.
	 * @param timeout the longest wait
	 * @return the time from start to the first 200
	 * @throws IOException when the application exits or does not get ready in time
	 * @throws InterruptedException when interrupted
	 */
	Duration awaitReady(Duration timeout) throws IOException, InterruptedException {
		long deadline = this.startedNanos + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IOException("The application exited with " + this.process.exitValue()
						+ " before it was ready:\n" + NestedMaven.tail(this.log));
			}
			try {
				if (get("/actuator/health/readiness").statusCode() == 200) {
					return Duration.ofNanos(System.nanoTime() - this.startedNanos);
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		throw new IOException("The application was not ready within " + timeout + ":\n" + NestedMaven.tail(this.log));
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Send SIGTERM and wait for the process to end.
	 * @param timeout the longest wait
	 * @return the exit status
	 * @throws IOException when it does not stop in time
	 * @throws InterruptedException when interrupted
	 */
	int stop(Duration timeout) throws IOException, InterruptedException {
		// Process.destroy() is SIGTERM on Unix: the JVM runs its shutdown hooks, Spring's
		// included
		this.process.destroy();
		if (!this.process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			throw new IOException("The application did not stop within " + timeout + " of SIGTERM");
		}
		return this.process.exitValue();
	}

	/**
	 * Wait for an application that is expected to stop on its own.
	 * @param timeout the longest wait
	 * @return the exit status
	 * @throws IOException when it does not stop in time
	 * @throws InterruptedException when interrupted
	 */
	int awaitExit(Duration timeout) throws IOException, InterruptedException {
		if (!this.process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			throw new IOException(
					"The application did not stop within " + timeout + ":\n" + NestedMaven.tail(this.log));
		}
		return this.process.exitValue();
	}

	/**
	 * Ask the application to stop through {@code POST /actuator/shutdown} and wait for
	 * the process to end.
	 * @param timeout the longest wait
	 * @return the exit status
	 * @throws IOException when it does not stop in time
	 * @throws InterruptedException when interrupted
	 */
	int shutDownThroughActuator(Duration timeout) throws IOException, InterruptedException {
		HttpResponse<String> response = post("/actuator/shutdown");
		if (response.statusCode() != 200) {
			throw new IOException("POST /actuator/shutdown answered " + response.statusCode() + ": " + response.body());
		}
		if (!this.process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			throw new IOException("The application did not stop within " + timeout + " of the shutdown request");
		}
		return this.process.exitValue();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
