package io.github.onnxgpu.boot.internal.warmup.request;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.session.OnnxWarmupRunner;
import io.github.onnxgpu.boot.model.WarmupFailureAction;

/**
 * Sends the configured warm-up requests to the application itself over loopback, after
 * the models are warm and before readiness turns to accepting traffic: Spring Boot
 * switches readiness only once every {@link ApplicationReadyEvent} listener returned, and
 * this one is ordered after the model warmup. The JIT so compiles the user's whole
 * request path, pre- and post-processing included, before real traffic arrives.
 */
public class WarmupRequestRunner implements GenericApplicationListener, ApplicationContextAware {

	/**
	 * The order of this listener: after the model warmup, before listeners that declare
	 * no order.
	 */
	public static final int ORDER = OnnxWarmupRunner.ORDER + 50;

	/**
	 * The property bounding each run of a warm-up request.
	 */
	static final String REQUEST_TIMEOUT = "onnx.warmup.request-timeout";

	/**
	 * The property bounding all warm-up requests together.
	 */
	static final String ALL_REQUESTS_TIMEOUT = "onnx.warmup.all-requests-timeout";

	/**
	 * The header that marks the requests of this runner, with a value new at each start.
	 */
	public static final String HEADER = "X-Onnx-Warmup";

	private static final Log logger = LogFactory.getLog(WarmupRequestRunner.class);

	private static final boolean WEB_SERVER_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.web.server.context.WebServerApplicationContext",
			WarmupRequestRunner.class.getClassLoader());

	private final List<LoopbackRequest> requests;

	private final WarmupFailureAction onFailure;

	private final Duration requestTimeout;

	private final Duration allRequestsTimeout;

	private final LoopbackRequestSender sender;

	private volatile List<WarmupRequestResult> results = List.of();

	private volatile @Nullable WarmupRequestResult inProgress;

	private volatile boolean stopping;

	private volatile @Nullable URI base;

	private @Nullable ApplicationContext context;

	private final String marker = UUID.randomUUID().toString();

	private final Set<Thread> serving = ConcurrentHashMap.newKeySet();

	/**
	 * Create a new runner.
	 * @param requests the requests, empty for none
	 * @param onFailure what a failed request does
	 * @param requestTimeout the longest time one run of a request may take
	 * @param allRequestsTimeout the longest time all requests together may take
	 */
	public WarmupRequestRunner(List<LoopbackRequest> requests, WarmupFailureAction onFailure, Duration requestTimeout,
			Duration allRequestsTimeout) {
		this.requests = List.copyOf(requests);
		this.onFailure = onFailure;
		this.requestTimeout = requestTimeout;
		this.allRequestsTimeout = allRequestsTimeout;
		this.sender = new LoopbackRequestSender(requestTimeout, HEADER, this.marker);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		return eventType.isAssignableFrom(ApplicationStartedEvent.class)
				|| eventType.isAssignableFrom(ApplicationReadyEvent.class)
				|| eventType.isAssignableFrom(ContextClosedEvent.class);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (this.requests.isEmpty()) {
			return;
		}
		if (event instanceof ContextClosedEvent closed) {
			// a child context (such as the management server's) closing is not shutdown
			if (this.context == null || closed.getApplicationContext() == this.context) {
				stop();
			}
		}
		else if (event instanceof ApplicationStartedEvent started) {
			// the web server runs already: fail before the models are warmed, not after
			checkWebApplication(started.getSpringApplication().getWebApplicationType());
			this.base = baseUri(started.getApplicationContext());
		}
		else if (event instanceof ApplicationReadyEvent ready) {
			if (this.stopping) {
				// shut down during the model warmup, which said so
				return;
			}
			URI target = (this.base != null) ? this.base : baseUri(ready.getApplicationContext());
			if (target == null) {
				logger.warn("ONNX warm-up requests skipped: the application has no running web server to send them "
						+ "to (a mock web environment in a test?)");
				return;
			}
			URI management = managementBaseUri(ready.getApplicationContext(), target);
			String actuator = actuatorPath(ready.getApplicationContext());
			run((request) -> (management != null && isBelow(request.path(), actuator))
					? LoopbackRequestSender.url(management, request) : LoopbackRequestSender.url(target, request));
		}
	}

	/**
	 * Stop sending: the run in flight is cancelled and no other is sent. Shutdown calls
	 * it, from another thread than the one sending.
	 */
	void stop() {
		this.stopping = true;
		this.sender.cancel();
		// the server's side: graceful shutdown would wait for the handler otherwise
		this.serving.forEach(Thread::interrupt);
	}

	/**
	 * Whether a request carries this runner's mark.
	 * @param header the value of {@link #HEADER}, {@code null} when absent
	 * @return whether this runner sent it
	 */
	boolean isOwnRequest(@Nullable String header) {
		return this.marker.equals(header);
	}

	boolean isStopping() {
		return this.stopping;
	}

	void serving(Thread thread) {
		this.serving.add(thread);
		if (this.stopping) {
			thread.interrupt();
		}
	}

	void served(Thread thread) {
		this.serving.remove(thread);
	}

	/**
	 * Send every request to a server.
	 * @param base the server's address with its context path, such as
	 * {@code http://127.0.0.1:8080/app}
	 * @return the results
	 * @throws OnnxModelException when a request fails and the failure action is FAIL
	 */
	public List<WarmupRequestResult> run(URI base) {
		return run((request) -> LoopbackRequestSender.url(base, request));
	}

	private List<WarmupRequestResult> run(Function<LoopbackRequest, URI> urls) {
		long start = System.nanoTime();
		long deadline = start + this.allRequestsTimeout.toNanos();
		List<WarmupRequestResult> done = new ArrayList<>();
		int failed = 0;
		int slow = 0;
		try {
			for (LoopbackRequest request : this.requests) {
				if (this.stopping) {
					break;
				}
				URI url = urls.apply(request);
				String description = request.method() + " " + LoopbackRequestSender.maskQuery(url.toString());
				if (logger.isInfoEnabled()) {
					logger.info("ONNX warm-up request " + request.index() + " of " + this.requests.size() + ": "
							+ description + ", " + request.repeat() + " runs, each within " + this.requestTimeout);
				}
				LoopbackRequestSender.Sent sent = this.sender.send(url, request, deadline,
						(partial) -> this.inProgress = partial);
				WarmupRequestResult result = sent.result();
				done.add(result);
				this.results = List.copyOf(done);
				this.inProgress = null;
				switch (sent.outcome()) {
					case SUCCEEDED -> slow += succeeded(request, result, description) ? 0 : 1;
					case STOPPED -> {
						logger.info("ONNX warm-up requests stopped by shutdown: request " + request.index() + " "
								+ description + " " + result.error());
						return this.results;
					}
					default -> {
						failed(request, result, description, sent.outcome(), start);
						failed++;
					}
				}
				if (sent.outcome() == LoopbackRequestSender.Outcome.ALL_TIMED_OUT) {
					// the bound is for all of them: the others are not sent
					break;
				}
			}
		}
		finally {
			this.inProgress = null;
			this.results = List.copyOf(done);
		}
		if (this.stopping) {
			logger.info("ONNX warm-up requests stopped by shutdown");
			return this.results;
		}
		summarize(done.size(), failed, slow, System.nanoTime() - start);
		return this.results;
	}

	/**
	 * The results of the requests sent so far, in configured order, the one running last
	 * (with no {@code finishedAt}).
	 * @return the results, empty before the application is ready
	 */
	public List<WarmupRequestResult> results() {
		WarmupRequestResult running = this.inProgress;
		if (running == null) {
			return this.results;
		}
		List<WarmupRequestResult> all = new ArrayList<>(this.results);
		all.add(running);
		return List.copyOf(all);
	}

	// true when no run was slow
	private boolean succeeded(LoopbackRequest request, WarmupRequestResult result, String description) {
		List<Duration> runs = result.iterations();
		Duration slowest = runs.stream().max(Duration::compareTo).orElse(Duration.ZERO);
		String timings = "sent " + runs.size() + " times: first " + runs.get(0).toMillis() + " ms, last "
				+ runs.get(runs.size() - 1).toMillis() + " ms";
		// a run over half its bound is a warning: a little slower and start-up fails
		if (slowest.compareTo(this.requestTimeout.dividedBy(2)) > 0) {
			logger.warn("ONNX warm-up request " + request.index() + " " + description + " is slow: " + timings
					+ ", slowest " + slowest.toMillis() + " ms, more than half of " + REQUEST_TIMEOUT + " ("
					+ this.requestTimeout + "), at which a run is refused; make the endpoint faster or raise "
					+ REQUEST_TIMEOUT + " [property " + request.property() + "]");
			return false;
		}
		if (logger.isInfoEnabled()) {
			logger.info("ONNX warm-up request " + request.index() + " " + description + " " + timings);
		}
		return true;
	}

	private void failed(LoopbackRequest request, WarmupRequestResult result, String description,
			LoopbackRequestSender.Outcome outcome, long start) {
		String problem = "warm-up request " + request.index() + " " + description + " " + result.error();
		String markDown = "set onnx.warmup.on-failure=mark-down to start anyway";
		String property;
		String fix;
		int status = result.statuses().isEmpty() ? 0 : result.statuses().get(result.statuses().size() - 1);
		if (outcome == LoopbackRequestSender.Outcome.ALL_TIMED_OUT) {
			List<Integer> notSent = this.requests.stream()
				.map(LoopbackRequest::index)
				.filter((index) -> index > request.index())
				.toList();
			problem = problem + "; all warm-up requests may take " + this.allRequestsTimeout + " ("
					+ ALL_REQUESTS_TIMEOUT + "), " + Duration.ofNanos(System.nanoTime() - start).toMillis()
					+ " ms have passed" + (notSent.isEmpty() ? "" : "; requests " + notSent + " were not sent");
			property = ALL_REQUESTS_TIMEOUT;
			fix = "make the endpoints answer faster, send fewer runs (" + request.property() + ".repeat), raise "
					+ ALL_REQUESTS_TIMEOUT + ", or " + markDown;
		}
		else if (outcome == LoopbackRequestSender.Outcome.TIMED_OUT) {
			property = REQUEST_TIMEOUT;
			fix = "make the endpoint answer within " + this.requestTimeout + ", raise " + REQUEST_TIMEOUT + ", or "
					+ markDown;
		}
		else if (status == 401 || status == 403) {
			property = request.property() + ".headers";
			fix = "the endpoint wants credentials: give them as headers, such as " + request.property()
					+ ".headers.Authorization=Bearer ${API_TOKEN} (header values are never shown), or " + markDown;
		}
		else if (status == 404) {
			property = request.property() + ".path";
			fix = "check the path, which is below the context path (and, for an actuator endpoint with "
					+ "management.server.port set, goes to the management port), list 404 in " + request.property()
					+ ".expect-status if it is expected, or " + markDown;
		}
		else {
			property = request.property();
			fix = "fix the endpoint or the request, list the statuses it may answer in " + request.property()
					+ ".expect-status, or " + markDown;
		}
		if (this.onFailure == WarmupFailureAction.FAIL) {
			throw new OnnxModelException(null, property, problem, fix);
		}
		logger.warn("ONNX " + problem + " [property " + property + "]; starting anyway "
				+ "(onnx.warmup.on-failure=mark-down)");
	}

	private void summarize(int sent, int failed, int slow, long nanos) {
		String line = "ONNX warm-up requests done in " + Duration.ofNanos(nanos).toMillis() + " ms: " + (sent - failed)
				+ " of " + this.requests.size() + " succeeded";
		if (failed == 0 && slow == 0 && sent == this.requests.size()) {
			logger.info(line);
			return;
		}
		logger.warn(line
				+ ((failed > 0) ? ", " + failed + " failed (starting anyway, onnx.warmup.on-failure=mark-down)" : "")
				+ ((sent < this.requests.size()) ? ", " + (this.requests.size() - sent) + " not sent" : "")
				+ ((slow > 0) ? ", " + slow + " slow" : "") + "; see the lines above");
	}

	private void checkWebApplication(WebApplicationType type) {
		if (type == WebApplicationType.NONE) {
			throw new OnnxModelException(null, LoopbackRequest.property(0),
					"warm-up requests are configured but the application is not a web application, so there is no "
							+ "server to send them to",
					"remove onnx.warmup.requests, or make the application a web application");
		}
	}

	/**
	 * The address of the management server when it runs on a port of its own
	 * ({@code management.server.port}), so that a request to an actuator path goes there.
	 * @param context the application context
	 * @param base the address of the application's own server
	 * @return such as {@code http://127.0.0.1:8081}, {@code null} when the actuator is
	 * served by the application's own server
	 */
	static @Nullable URI managementBaseUri(ApplicationContext context, URI base) {
		Environment environment = context.getEnvironment();
		// set by Spring Boot once the management server runs, on this context too
		Integer port = environment.getProperty("local.management.port", Integer.class);
		if (port == null || port <= 0 || port == base.getPort()) {
			return null;
		}
		Binder binder = Binder.get(environment);
		String host = host(binder.bind("management.server.address", InetAddress.class)
			.orElseGet(() -> binder.bind("server.address", InetAddress.class).orElse(null)));
		return URI.create("http://" + host + ":" + port
				+ trim(binder.bind("management.server.base-path", String.class).orElse("")));
	}

	/**
	 * The path below which the actuator's endpoints are served.
	 * @param context the application context
	 * @return such as {@code /actuator}
	 */
	static String actuatorPath(ApplicationContext context) {
		return trim(Binder.get(context.getEnvironment())
			.bind("management.endpoints.web.base-path", String.class)
			.orElse("/actuator"));
	}

	static boolean isBelow(String path, String basePath) {
		if (basePath.isEmpty()) {
			// every path could be the actuator's: the application's own server it is
			return false;
		}
		return path.equals(basePath) || path.startsWith(basePath + "/") || path.startsWith(basePath + "?");
	}

	private static String host(@Nullable InetAddress configured) {
		InetAddress address = configured;
		if (address == null || address.isAnyLocalAddress()) {
			address = InetAddress.getLoopbackAddress();
		}
		String host = address.getHostAddress();
		return (host.indexOf(':') >= 0) ? "[" + host + "]" : host;
	}

	private static String trim(String contextPath) {
		String path = StringUtils.trimTrailingCharacter(contextPath.strip(), '/');
		return (path.isEmpty() || path.startsWith("/")) ? path : "/" + path;
	}

	/**
	 * The address of the application's own server, or {@code null} when none runs.
	 * @param context the application context
	 * @return such as {@code http://127.0.0.1:8080/app}, {@code null} when no server runs
	 * @throws OnnxModelException when the server speaks HTTPS
	 */
	static @Nullable URI baseUri(ApplicationContext context) {
		if (!WEB_SERVER_PRESENT) {
			return null;
		}
		return WebServers.baseUri(context);
	}

	// only loaded when spring-boot-web-server is on the class path
	private static final class WebServers {

		static @Nullable URI baseUri(ApplicationContext context) {
			if (!(context instanceof WebServerApplicationContext web) || web.getWebServer() == null
					|| web.getWebServer().getPort() <= 0) {
				return null;
			}
			Environment environment = context.getEnvironment();
			Binder binder = Binder.get(environment);
			Ssl ssl = binder.bind("server.ssl", Ssl.class).orElse(null);
			if (Ssl.isEnabled(ssl)) {
				// Trusting the server's own certificate is not enough: it is issued for
				// the
				// service's host name, not for the loopback address, and the JDK client
				// can
				// only turn host name verification off for the whole process, which a
				// starter
				// must not do. So HTTPS is refused clearly rather than half supported.
				throw new OnnxModelException(null, LoopbackRequest.property(0),
						"warm-up requests cannot be sent to a server that only speaks HTTPS (server.ssl is enabled)",
						"terminate TLS in front of the application, or remove onnx.warmup.requests");
			}
			String contextPath = (context instanceof ReactiveWebServerApplicationContext)
					? binder.bind("spring.webflux.base-path", String.class).orElse("")
					: binder.bind("server.servlet.context-path", String.class).orElse("");
			return URI.create("http://" + host(binder.bind("server.address", InetAddress.class).orElse(null)) + ":"
					+ web.getWebServer().getPort() + trim(contextPath));
		}

	}

}
