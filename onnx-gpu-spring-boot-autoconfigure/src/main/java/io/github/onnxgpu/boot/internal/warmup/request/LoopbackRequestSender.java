package io.github.onnxgpu.boot.internal.warmup.request;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Sends warm-up requests to the application's own web server with the JDK's
 * {@link HttpClient}, and times every run.
 */
public final class LoopbackRequestSender {

	private static final String MASK = "******";

	private final HttpClient client;

	private final Duration timeout;

	/**
	 * Create a new sender.
	 * @param timeout the longest time one run may take
	 */
	public LoopbackRequestSender(Duration timeout) {
		this.timeout = timeout;
		// HTTP/1.1: an h2c upgrade attempt would make the first run unlike real traffic
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(timeout)
			.build();
	}

	/**
	 * Build one run of a request, which also checks that the request can be sent.
	 * @param base the server's address with its context path, such as
	 * {@code http://127.0.0.1:8080/app}
	 * @param request the request
	 * @param timeout the longest time the run may take
	 * @return the HTTP request
	 * @throws IllegalArgumentException when the path or a header cannot be sent
	 */
	public static HttpRequest build(URI base, LoopbackRequest request, Duration timeout) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request.path())).timeout(timeout);
		request.headers().forEach(builder::header);
		if (request.contentType() != null) {
			builder.header("Content-Type", request.contentType());
		}
		HttpRequest.BodyPublisher body = (request.body() != null)
				? HttpRequest.BodyPublishers.ofByteArray(request.body()) : HttpRequest.BodyPublishers.noBody();
		return builder.method(request.method().name(), body).build();
	}

	/**
	 * Send a request {@code repeat} times, stopping at the first unexpected status or
	 * connection error.
	 * @param base the server's address with its context path
	 * @param request the request
	 * @return the statuses and durations, and the error if one run failed
	 */
	public WarmupRequestResult send(URI base, LoopbackRequest request) {
		HttpRequest httpRequest = build(base, request, this.timeout);
		List<Integer> statuses = new ArrayList<>();
		List<Duration> iterations = new ArrayList<>();
		String error = null;
		for (int run = 1; run <= request.repeat() && error == null; run++) {
			long start = System.nanoTime();
			try {
				// the whole answer is read, so the time covers the response's writing too
				int status = this.client.send(httpRequest, HttpResponse.BodyHandlers.discarding()).statusCode();
				iterations.add(Duration.ofNanos(System.nanoTime() - start));
				statuses.add(status);
				if (!request.expects(status)) {
					error = "answered " + status + " on run " + run + " of " + request.repeat() + ", expected "
							+ request.describeExpected();
				}
			}
			catch (HttpTimeoutException ex) {
				error = "got no answer within " + this.timeout + " on run " + run;
			}
			catch (IOException ex) {
				error = "could not be sent on run " + run + ": " + ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				error = "was interrupted on run " + run;
			}
		}
		return new WarmupRequestResult(request.index(), request.method(), maskQuery(request.path()), statuses,
				iterations, error);
	}

	/**
	 * The path with every query value replaced by {@code ******}: a query may carry a
	 * token, and the path is shown by the actuator endpoint and in logs.
	 * @param path the path with an optional query
	 * @return the masked path
	 */
	static String maskQuery(String path) {
		int fragment = path.indexOf('#');
		String withoutFragment = (fragment >= 0) ? path.substring(0, fragment) : path;
		int query = withoutFragment.indexOf('?');
		if (query < 0) {
			return withoutFragment;
		}
		StringJoiner masked = new StringJoiner("&", withoutFragment.substring(0, query + 1), "");
		for (String parameter : withoutFragment.substring(query + 1).split("&", -1)) {
			int equals = parameter.indexOf('=');
			// a parameter without '=' is a bare value, which may be a token too
			masked.add((equals >= 0) ? parameter.substring(0, equals + 1) + MASK : parameter.isEmpty() ? "" : MASK);
		}
		return masked.toString();
	}

}
