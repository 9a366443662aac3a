package io.github.onnxgpu.benchmarks.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.github.onnxgpu.benchmarks.trial.TrialLauncher.Started;

/**
 * The HTTP side of the scenarios that start an application serving the detector: waits
 * for readiness and times {@code POST /detect} with an image; a free port and a sleep for
 * their trials.
 */
final class DetectorHttpClient {

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	HttpClient client() {
		return this.client;
	}

	void awaitReady(Started server, URI base, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		HttpRequest readiness = HttpRequest.newBuilder(base.resolve("/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(5))
			.build();
		while (System.nanoTime() < deadline) {
			if (!server.process().isAlive()) {
				throw new IllegalStateException("the application exited with " + server.process().exitValue());
			}
			try {
				if (this.client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted", ex);
			}
			sleep(50);
		}
		throw new IllegalStateException("not ready within " + timeout);
	}

	double timedPost(URI base, Path image) {
		try {
			HttpRequest request = HttpRequest.newBuilder(base.resolve("/detect"))
				.timeout(Duration.ofSeconds(60))
				.header("Content-Type", "image/png")
				.POST(HttpRequest.BodyPublishers.ofFile(image))
				.build();
			long start = System.nanoTime();
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			double millis = (System.nanoTime() - start) / 1e6;
			if (response.statusCode() != 200) {
				throw new IllegalStateException(
						"POST /detect answered " + response.statusCode() + ": " + response.body());
			}
			return millis;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port", ex);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
