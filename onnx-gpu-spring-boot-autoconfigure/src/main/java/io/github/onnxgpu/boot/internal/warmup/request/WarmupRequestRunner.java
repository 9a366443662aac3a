package io.github.onnxgpu.boot.internal.warmup.request;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
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
public class WarmupRequestRunner implements ApplicationListener<SpringApplicationEvent>, Ordered {

	/**
	 * The order of this listener: after the model warmup, before listeners that declare
	 * no order.
	 */
	public static final int ORDER = OnnxWarmupRunner.ORDER + 50;

	private static final Log logger = LogFactory.getLog(WarmupRequestRunner.class);

	private static final boolean WEB_SERVER_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.web.server.context.WebServerApplicationContext",
			WarmupRequestRunner.class.getClassLoader());

	private final List<LoopbackRequest> requests;

	private final WarmupFailureAction onFailure;

	private final LoopbackRequestSender sender;

	private volatile List<WarmupRequestResult> results = List.of();

	private volatile @Nullable URI base;

	/**
	 * Create a new runner.
	 * @param requests the requests, empty for none
	 * @param onFailure what a failed request does
	 * @param timeout the longest time one run of a request may take
	 */
	public WarmupRequestRunner(List<LoopbackRequest> requests, WarmupFailureAction onFailure, Duration timeout) {
		this.requests = List.copyOf(requests);
		this.onFailure = onFailure;
		this.sender = new LoopbackRequestSender(timeout);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void onApplicationEvent(SpringApplicationEvent event) {
		if (this.requests.isEmpty()) {
			return;
		}
		if (event instanceof ApplicationStartedEvent started) {
			// the web server runs already: fail before the models are warmed, not after
			checkWebApplication(started.getSpringApplication().getWebApplicationType());
			this.base = baseUri(started.getApplicationContext());
		}
		else if (event instanceof ApplicationReadyEvent ready) {
			URI target = (this.base != null) ? this.base : baseUri(ready.getApplicationContext());
			if (target == null) {
				logger.warn("ONNX warm-up requests skipped: the application has no running web server to send them "
						+ "to (a mock web environment in a test?)");
				return;
			}
			run(target);
		}
	}

	/**
	 * Send every request to a server.
	 * @param base the server's address with its context path, such as
	 * {@code http://127.0.0.1:8080/app}
	 * @return the results
	 * @throws OnnxModelException when a request fails and the failure action is FAIL
	 */
	public List<WarmupRequestResult> run(URI base) {
		List<WarmupRequestResult> done = new ArrayList<>();
		try {
			for (LoopbackRequest request : this.requests) {
				WarmupRequestResult result = this.sender.send(base, request);
				done.add(result);
				handle(request, result);
			}
		}
		finally {
			this.results = List.copyOf(done);
		}
		return this.results;
	}

	/**
	 * The results of the requests sent so far, in configured order.
	 * @return the results, empty before the application is ready
	 */
	public List<WarmupRequestResult> results() {
		return this.results;
	}

	private void handle(LoopbackRequest request, WarmupRequestResult result) {
		String description = request.method() + " " + result.path();
		if (result.succeeded()) {
			if (logger.isInfoEnabled()) {
				List<Duration> runs = result.iterations();
				logger.info("ONNX warm-up request " + description + " sent " + runs.size() + " times: first "
						+ runs.get(0).toMillis() + " ms, last " + runs.get(runs.size() - 1).toMillis() + " ms");
			}
			return;
		}
		String problem = "warm-up request " + description + " " + result.error();
		if (this.onFailure == WarmupFailureAction.FAIL) {
			throw new OnnxModelException(null, request.property(), problem,
					"fix the endpoint or the request, list the statuses it may answer in " + request.property()
							+ ".expect-status, or set onnx.warmup.on-failure=mark-down to start anyway");
		}
		logger.warn("ONNX " + problem + " [property " + request.property() + "]; starting anyway "
				+ "(onnx.warmup.on-failure=mark-down)");
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
			return URI.create("http://" + host(binder) + ":" + web.getWebServer().getPort() + trim(contextPath));
		}

		private static String host(Binder binder) {
			InetAddress address = binder.bind("server.address", InetAddress.class).orElse(null);
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

	}

}
