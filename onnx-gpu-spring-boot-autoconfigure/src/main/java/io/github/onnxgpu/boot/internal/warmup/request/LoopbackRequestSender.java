package io.github.onnxgpu.boot.internal.warmup.request;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Sends warm-up requests to the application's own web server with the JDK's
 * {@link HttpClient}, times every run, and bounds every run by the request timeout and
 * all of them by a deadline.
 */
public final class LoopbackRequestSender {

	static final String MASK = "******";

	private final HttpClient client;

	private final Duration timeout;

	private final Object monitor = new Object();

	private @Nullable CompletableFuture<?> inFlight;

	private boolean cancelled;

	private final String markerHeader;

	private final String marker;

	/**
	 * Create a new sender.
	 * @param timeout the longest time one run may take
	 * @param markerHeader the header that marks every request as a warm-up request
	 * @param marker its value
	 */
	LoopbackRequestSender(Duration timeout, String markerHeader, String marker) {
		this.timeout = timeout;
		this.markerHeader = markerHeader;
		this.marker = marker;
		// HTTP/1.1: an h2c upgrade attempt would make the first run unlike real traffic
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(timeout)
			.build();
	}

	/**
	 * The URL a request is sent to.
	 * @param base the server's address with its context path, such as
	 * {@code http://127.0.0.1:8080/app}
	 * @param request the request
	 * @return the URL
	 * @throws IllegalArgumentException when the path is no valid URI
	 */
	public static URI url(URI base, LoopbackRequest request) {
		return URI.create(base + request.path());
	}

	/**
	 * Build one run of a request, which also checks that the request can be sent.
	 * @param url the URL to send it to
	 * @param request the request
	 * @param timeout the longest time the run may take
	 * @return the HTTP request
	 * @throws IllegalArgumentException when a header cannot be sent
	 */
	public static HttpRequest build(URI url, LoopbackRequest request, Duration timeout) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(timeout);
		request.headers().forEach(builder::header);
		if (request.contentType() != null) {
			builder.header("Content-Type", request.contentType());
		}
		HttpRequest.BodyPublisher body = (request.body() != null)
				? HttpRequest.BodyPublishers.ofByteArray(request.body()) : HttpRequest.BodyPublishers.noBody();
		return builder.method(request.method().name(), body).build();
	}

	/**
	 * Send a request {@code repeat} times, stopping at the first unexpected status,
	 * connection error or timeout, at the deadline, or when {@link #cancel() cancelled}.
	 * @param url the URL to send it to
	 * @param request the request
	 * @param deadline the {@link System#nanoTime()} by which every warm-up request must
	 * have ended
	 * @param progress told of the result so far after each run
	 * @return how it ended
	 */
	Sent send(URI url, LoopbackRequest request, long deadline, Consumer<WarmupRequestResult> progress) {
		HttpRequest httpRequest = HttpRequest.newBuilder(build(url, request, this.timeout), (name, value) -> true)
			.header(this.markerHeader, this.marker)
			.build();
		String shownUrl = maskQuery(url.toString());
		String path = maskQuery(request.path());
		Instant startedAt = Instant.now();
		List<Integer> statuses = new ArrayList<>();
		List<Duration> iterations = new ArrayList<>();
		Outcome outcome = Outcome.SUCCEEDED;
		String error = null;
		progress.accept(new WarmupRequestResult(request.index(), request.method(), path, shownUrl, statuses, iterations,
				startedAt, null, null));
		for (int run = 1; run <= request.repeat() && outcome == Outcome.SUCCEEDED; run++) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				outcome = Outcome.ALL_TIMED_OUT;
				error = "was not sent on run " + run + " of " + request.repeat() + ": the time for all warm-up "
						+ "requests ran out";
				break;
			}
			boolean lastChance = left < this.timeout.toNanos();
			long start = System.nanoTime();
			CompletableFuture<HttpResponse<Void>> future = null;
			try {
				future = start(httpRequest);
				// the whole answer is read, so the time covers the response's writing too
				int status = future.get(lastChance ? left : this.timeout.toNanos(), TimeUnit.NANOSECONDS).statusCode();
				iterations.add(Duration.ofNanos(System.nanoTime() - start));
				statuses.add(status);
				if (!request.expects(status)) {
					outcome = Outcome.FAILED;
					error = "answered " + status + " on run " + run + " of " + request.repeat() + ", expected "
							+ request.describeExpected();
				}
			}
			catch (TimeoutException ex) {
				future.cancel(true);
				outcome = lastChance ? Outcome.ALL_TIMED_OUT : Outcome.TIMED_OUT;
				error = lastChance
						? "got no answer on run " + run + " of " + request.repeat()
								+ " before the time for all warm-up requests ran out"
						: "got no answer within " + this.timeout + " on run " + run + " of " + request.repeat();
			}
			catch (CancellationException ex) {
				outcome = Outcome.STOPPED;
				error = "was stopped by shutdown on run " + run + " of " + request.repeat();
			}
			catch (ExecutionException ex) {
				if (isCancelled()) {
					outcome = Outcome.STOPPED;
					error = "was stopped by shutdown on run " + run + " of " + request.repeat();
				}
				else if (ex.getCause() instanceof HttpTimeoutException) {
					outcome = Outcome.TIMED_OUT;
					error = "got no answer within " + this.timeout + " on run " + run + " of " + request.repeat();
				}
				else {
					outcome = Outcome.FAILED;
					// the exception's text is not the starter's own: masked like all else
					error = "could not be sent on run " + run + " of " + request.repeat() + ": "
							+ request.maskHeaders(String.valueOf(ex.getCause()));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				if (future != null) {
					future.cancel(true);
				}
				outcome = Outcome.FAILED;
				error = "was interrupted on run " + run + " of " + request.repeat();
			}
			finally {
				ended();
			}
			if (outcome == Outcome.SUCCEEDED && run < request.repeat()) {
				progress.accept(new WarmupRequestResult(request.index(), request.method(), path, shownUrl, statuses,
						iterations, startedAt, null, null));
			}
		}
		return new Sent(new WarmupRequestResult(request.index(), request.method(), path, shownUrl, statuses, iterations,
				startedAt, Instant.now(), error), outcome);
	}

	private CompletableFuture<HttpResponse<Void>> start(HttpRequest httpRequest) {
		synchronized (this.monitor) {
			if (this.cancelled) {
				throw new CancellationException();
			}
			CompletableFuture<HttpResponse<Void>> future = this.client.sendAsync(httpRequest,
					HttpResponse.BodyHandlers.discarding());
			this.inFlight = future;
			return future;
		}
	}

	private void ended() {
		synchronized (this.monitor) {
			this.inFlight = null;
		}
	}

	private boolean isCancelled() {
		synchronized (this.monitor) {
			return this.cancelled;
		}
	}

	/**
	 * Stop the run in flight, if any, and refuse further runs: the application is
	 * shutting down. Called from another thread.
	 */
	void cancel() {
		synchronized (this.monitor) {
			this.cancelled = true;
			if (this.inFlight != null) {
				this.inFlight.cancel(true);
			}
		}
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

	/**
	 * How the runs of a request ended.
	 */
	enum Outcome {

		/**
		 * Every run answered an expected status.
		 */
		SUCCEEDED,

		/**
		 * A run answered an unexpected status or could not be sent.
		 */
		FAILED,

		/**
		 * A run got no answer within the request timeout.
		 */
		TIMED_OUT,

		/**
		 * The time for all warm-up requests ran out.
		 */
		ALL_TIMED_OUT,

		/**
		 * Shutdown stopped it.
		 */
		STOPPED

	}

	/**
	 * The result of a request and how it ended.
	 *
	 * @param result the result
	 * @param outcome how it ended
	 */
	record Sent(WarmupRequestResult result, Outcome outcome) {
	}

}
