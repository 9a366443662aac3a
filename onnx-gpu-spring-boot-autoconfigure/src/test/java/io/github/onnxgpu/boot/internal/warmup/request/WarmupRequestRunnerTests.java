package io.github.onnxgpu.boot.internal.warmup.request;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.model.WarmupFailureAction;
import io.github.onnxgpu.boot.model.WarmupRequestMethod;
import io.github.onnxgpu.boot.test.EndpointJson;
import io.github.onnxgpu.boot.test.RecordingFailureAnalysisReporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link WarmupRequestRunner}: real applications sending requests to
 * themselves.
 */
@ExtendWith(OutputCaptureExtension.class)
class WarmupRequestRunnerTests {

	@Test
	void requestAnsweringAnUnexpectedStatusFailsStartupNamingTheRequest() {
		Throwable failure = catchThrowable(
				() -> start(WebApplicationType.SERVLET, "onnx.warmup.requests[0].path=/status/204",
						"onnx.warmup.requests[1].path=/status/500?key=s3cret")
					.close());
		OnnxModelException exception = modelException(failure);
		assertThat(exception.getProperty()).isEqualTo("onnx.warmup.requests[1]");
		assertThat(exception.getMessage())
			.containsPattern("warm-up request 1 GET http://127\\.0\\.0\\.1:\\d+/status/500\\?key=\\*{6}")
			.contains("answered 500 on run 1 of 10, expected any 2xx")
			.contains("onnx.warmup.on-failure=mark-down")
			.doesNotContain("s3cret");
	}

	@Test
	void requestAnsweringAnUnexpectedStatusUnderMarkDownStartsAndRecordsIt() {
		try (ConfigurableApplicationContext context = start(WebApplicationType.SERVLET,
				"onnx.warmup.on-failure=mark-down", "onnx.warmup.requests[0].path=/status/500",
				"onnx.warmup.requests[1].path=/status/201", "onnx.warmup.requests[1].repeat=2")) {
			List<WarmupRequestResult> results = context.getBean(WarmupRequestRunner.class).results();
			assertThat(results).hasSize(2);
			assertThat(results.get(0).succeeded()).isFalse();
			assertThat(results.get(0).statuses()).containsExactly(500);
			assertThat(results.get(0).error()).contains("answered 500");
			assertThat(results.get(1).succeeded()).isTrue();
			assertThat(results.get(1).statuses()).containsExactly(201, 201);
		}
	}

	@Test
	void expectedStatusesReplaceAny2xx() {
		try (ConfigurableApplicationContext context = start(WebApplicationType.SERVLET,
				"onnx.warmup.requests[0].path=/status/404", "onnx.warmup.requests[0].repeat=3",
				"onnx.warmup.requests[0].expect-status=404,410")) {
			WarmupRequestResult result = context.getBean(WarmupRequestRunner.class).results().get(0);
			assertThat(result.statuses()).containsExactly(404, 404, 404);
			assertThat(result.iterations()).hasSize(3).allSatisfy((run) -> assertThat(run).isPositive());
		}
	}

	@Test
	void httpsServerFailsStartupBeforeModelWarmupNamingRequestsAndServerSsl(@TempDir Path directory) throws Exception {
		Path keyStore = directory.resolve("server.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=service.example",
				"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit")
			.redirectErrorStream(true)
			.start();
		assertThat(keytool.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
		AtomicBoolean readyListenersRan = new AtomicBoolean();
		Throwable failure = catchThrowable(
				() -> new SpringApplicationBuilder(StatusApplication.class).web(WebApplicationType.SERVLET)
					.listeners((ApplicationListener<ApplicationReadyEvent>) (event) -> readyListenersRan.set(true))
					.properties("server.port=0", "onnx.cuda.enabled=false", "server.ssl.key-store=file:" + keyStore,
							"server.ssl.key-store-password=changeit", "server.ssl.key-store-type=PKCS12",
							"onnx.warmup.requests[0].path=/status/200")
					.run()
					.close());
		OnnxModelException exception = modelException(failure);
		assertThat(exception.getProperty()).isEqualTo("onnx.warmup.requests[0]");
		assertThat(exception.getMessage()).contains("only speaks HTTPS (server.ssl is enabled)")
			.contains("remove onnx.warmup.requests");
		assertThat(readyListenersRan).isFalse();
	}

	@Test
	void nonWebApplicationWithRequestsFailsStartupNamingTheProperty() {
		Throwable failure = catchThrowable(
				() -> start(WebApplicationType.NONE, "onnx.warmup.requests[0].path=/predict").close());
		OnnxModelException exception = modelException(failure);
		assertThat(exception.getProperty()).isEqualTo("onnx.warmup.requests[0]");
		assertThat(exception.getMessage()).contains("not a web application");
	}

	@Test
	void nonWebApplicationWithoutRequestsStarts() {
		try (ConfigurableApplicationContext context = start(WebApplicationType.NONE)) {
			assertThat(context.getBean(WarmupRequestRunner.class).results()).isEmpty();
		}
	}

	@Test
	void connectionErrorIsAFailure() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		LoopbackRequest request = new LoopbackRequest(0, WarmupRequestMethod.GET, "/x", null, null, Map.of(), 2,
				List.of());
		WarmupRequestRunner runner = new WarmupRequestRunner(List.of(request), WarmupFailureAction.FAIL,
				Duration.ofSeconds(30), Duration.ofMinutes(2));
		assertThatExceptionOfType(OnnxModelException.class)
			.isThrownBy(() -> runner.run(URI.create("http://127.0.0.1:" + closedPort)))
			.withMessageContaining("could not be sent on run 1")
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("onnx.warmup.requests[0]"));
		assertThat(runner.results()).singleElement().satisfies((result) -> {
			assertThat(result.succeeded()).isFalse();
			assertThat(result.statuses()).isEmpty();
		});
	}

	@Test
	void runWithNoAnswerWithinTheRequestTimeoutFailsStartupNamingTheUrlAndProperty() {
		HoldController.reset();
		try {
			Throwable failure = catchThrowable(() -> start(WebApplicationType.SERVLET, "server.shutdown=immediate",
					"onnx.warmup.request-timeout=1s", "onnx.warmup.requests[0].path=/hold?key=s3cret",
					"onnx.warmup.requests[0].repeat=1")
				.close());
			long millis = (System.nanoTime() - HoldController.enteredAt) / 1_000_000;
			// refused while the endpoint still held the run: the bound, not the endpoint,
			// ended it
			assertThat(HoldController.answered).isFalse();
			assertThat(HoldController.entered.getCount()).isZero();
			OnnxModelException exception = modelException(failure);
			assertThat(exception.getProperty()).isEqualTo("onnx.warmup.request-timeout");
			assertThat(exception.getMessage())
				.containsPattern("warm-up request 0 GET http://127\\.0\\.0\\.1:\\d+/hold\\?key=\\*{6} got no answer "
						+ "within PT1S on run 1 of 1")
				.contains("raise onnx.warmup.request-timeout")
				.doesNotContain("s3cret");
			System.out.printf("request-timeout 1s: start-up failed %d ms after the run reached the endpoint%n", millis);
		}
		finally {
			HoldController.release.countDown();
		}
	}

	@Test
	void requestsThatTogetherTakeLongerThanTheOverallBoundFailStartupAndTheRestAreNotSent() {
		SleepController.tags.clear();
		Throwable failure = catchThrowable(() -> start(WebApplicationType.SERVLET, "server.shutdown=immediate",
				"onnx.warmup.request-timeout=10s", "onnx.warmup.all-requests-timeout=2s",
				"onnx.warmup.requests[0].path=/sleep/700?tag=a", "onnx.warmup.requests[0].repeat=2",
				"onnx.warmup.requests[1].path=/sleep/700?tag=b", "onnx.warmup.requests[1].repeat=2",
				"onnx.warmup.requests[2].path=/sleep/700?tag=c", "onnx.warmup.requests[2].repeat=2")
			.close());
		long millis = (System.nanoTime() - SleepController.firstAt) / 1_000_000;
		OnnxModelException exception = modelException(failure);
		assertThat(exception.getProperty()).isEqualTo("onnx.warmup.all-requests-timeout");
		assertThat(exception.getMessage())
			.containsPattern("warm-up request [01] GET http://127\\.0\\.0\\.1:\\d+/sleep/700\\?tag=\\*{6}")
			.contains("all warm-up requests may take PT2S (onnx.warmup.all-requests-timeout)")
			.contains("2] were not sent");
		assertThat(exception.getAction()).contains("raise onnx.warmup.all-requests-timeout");
		assertThat(SleepController.tags).doesNotContain("c").hasSizeLessThan(6);
		System.out.printf(
				"all-requests-timeout 2s: start-up failed %d ms after the first run reached the endpoint, runs %s%n",
				millis, SleepController.tags);
	}

	@Test
	void slowRequestIsAWarningAndTheFinalLineSaysSo(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(WebApplicationType.SERVLET,
				"onnx.warmup.request-timeout=6s", "onnx.warmup.requests[0].path=/sleep/3200",
				"onnx.warmup.requests[0].repeat=1")) {
			assertThat(context.getBean(WarmupRequestRunner.class).results()).singleElement()
				.satisfies((result) -> assertThat(result.succeeded()).isTrue());
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("ONNX warm-up request")))
			.anySatisfy((line) -> assertThat(line).contains("WARN")
				.containsPattern("request 0 GET http://127\\.0\\.0\\.1:\\d+/sleep/3200 is slow")
				.contains("more than half of onnx.warmup.request-timeout (PT6S)"))
			.noneSatisfy((line) -> assertThat(line).contains("INFO").contains("sent 1 times"));
		assertThat(output.getOut().lines().filter((line) -> line.contains("ONNX warm-up requests done")))
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains("WARN", "1 of 1 succeeded", "1 slow");
	}

	@Test
	void endpointListsTheRequestBeingSentWhileItRuns(CapturedOutput output) {
		HoldController.reset();
		HoldController.release.countDown();
		try (ConfigurableApplicationContext context = start(WebApplicationType.SERVLET,
				"management.endpoints.web.exposure.include=onnx", "onnx.warmup.requests[0].path=/status/200",
				"onnx.warmup.requests[0].repeat=1", "onnx.warmup.requests[1].path=/hold?key=s3cret",
				"onnx.warmup.requests[1].repeat=2")) {
			List<JsonNode> seen = HoldController.seen;
			// what the endpoint showed during the first run of request 1
			assertThat(seen).hasSize(2);
			assertThat(seen.get(0).path("running").asBoolean(true)).isFalse();
			assertThat(EndpointJson.longs(seen.get(0).path("statuses"))).containsExactly(200L);
			JsonNode running = seen.get(1);
			assertThat(running.path("running").asBoolean()).isTrue();
			assertThat(running.path("url").asString()).matches("http://127\\.0\\.0\\.1:\\d+/hold\\?key=\\*{6}");
			assertThat(running.path("startedAt").isMissingNode() || running.path("startedAt").isNull()).isFalse();
			assertThat(running.path("finishedAt").isMissingNode() || running.path("finishedAt").isNull()).isTrue();
			assertThat(EndpointJson.longs(running.path("statuses"))).isEmpty();
			// and once it finished
			JsonNode finished = EndpointJson.json(context.getBean(OnnxEndpoint.class).onnx()).path("requests").get(1);
			assertThat(finished.path("running").asBoolean(true)).isFalse();
			assertThat(EndpointJson.longs(finished.path("statuses"))).containsExactly(200L, 200L);
		}
		// an INFO line before each request names it with the URL called
		assertThat(output.getOut())
			.containsPattern(
					"INFO .*ONNX warm-up request 1 of 2: GET http://127\\.0\\.0\\.1:\\d+/hold\\?key=\\*{6}, 2 runs")
			.doesNotContain("s3cret");
	}

	@Test
	void requestAnswered401PointsToHeadersWithoutShowingTheirValues(CapturedOutput output) {
		RecordingFailureAnalysisReporter.reset();
		Throwable failure = catchThrowable(
				() -> start(WebApplicationType.SERVLET, "onnx.warmup.requests[0].path=/secured",
						"onnx.warmup.requests[0].headers.X-Api-Key=wrong-s3cret")
					.close());
		OnnxModelException exception = modelException(failure);
		assertThat(exception.getProperty()).isEqualTo("onnx.warmup.requests[0].headers");
		assertThat(exception.getMessage()).containsPattern("GET http://127\\.0\\.0\\.1:\\d+/secured answered 401");
		assertThat(exception.getAction()).contains("onnx.warmup.requests[0].headers.Authorization=")
			.doesNotContain("expect-status");
		FailureAnalysis report = RecordingFailureAnalysisReporter.last();
		assertThat(report.getDescription()).contains("answered 401").doesNotContain("wrong-s3cret");
		assertThat(report.getAction()).contains("headers.Authorization").doesNotContain("wrong-s3cret");
		assertThat(output.getAll()).contains("ONNX warm-up request 0 of 1: GET").doesNotContain("wrong-s3cret");
	}

	@Test
	void headerValueEndingInANewlineIsNeverShown(CapturedOutput output) {
		RecordingFailureAnalysisReporter.reset();
		Throwable failure = catchThrowable(
				() -> new SpringApplicationBuilder(StatusApplication.class).web(WebApplicationType.SERVLET)
					.properties(Map.of("server.port", "0", "onnx.cuda.enabled", "false", "spring.main.banner-mode",
							"off", "onnx.warmup.requests[0].path", "/status/200",
							"onnx.warmup.requests[0].headers.X-Api-Key", "s3cret-from-a-file\n"))
					.run()
					.close());
		OnnxModelException exception = modelException(failure);
		assertThat(exception.getProperty()).isEqualTo("onnx.warmup.requests[0].headers.X-Api-Key");
		assertThat(exception.getMessage()).contains("header 'X-Api-Key'")
			.contains("line break or control character at its end");
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain("s3cret");
		}
		// the failure report and the context's WARN line, without the value
		FailureAnalysis report = RecordingFailureAnalysisReporter.last();
		assertThat(report.getDescription()).contains("X-Api-Key").doesNotContain("s3cret");
		assertThat(report.getAction()).doesNotContain("s3cret");
		assertThat(output.getAll()).contains("Exception encountered during context initialization")
			.contains("header 'X-Api-Key'")
			.doesNotContain("s3cret");
	}

	@Test
	void requestDescriptionMasksHeaderAndQueryValues() {
		LoopbackRequest request = new LoopbackRequest(0, WarmupRequestMethod.POST, "/p?token=s3cret", new byte[3], null,
				Map.of("X-Api-Key", "s3cret-key\n"), 1, List.of());
		assertThat(request.toString()).contains("X-Api-Key=******", "/p?token=******", "3 bytes")
			.doesNotContain("s3cret");
		assertThat(request.maskHeaders("refused: \"s3cret-key\n\" and s3cret-key")).doesNotContain("s3cret");
	}

	@Test
	void actuatorPathGoesToTheManagementPort(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(WebApplicationType.SERVLET, "management.server.port=0",
				"management.endpoints.web.exposure.include=onnx", "onnx.warmup.requests[0].path=/actuator/onnx",
				"onnx.warmup.requests[0].repeat=2")) {
			int managementPort = context.getEnvironment().getProperty("local.management.port", Integer.class);
			assertThat(context.getBean(WarmupRequestRunner.class).results()).singleElement().satisfies((result) -> {
				assertThat(result.statuses()).containsExactly(200, 200);
				assertThat(result.url()).isEqualTo("http://127.0.0.1:" + managementPort + "/actuator/onnx");
			});
		}
	}

	@Test
	void maskQueryHidesEveryQueryValue() {
		assertThat(LoopbackRequestSender.maskQuery("/predict")).isEqualTo("/predict");
		assertThat(LoopbackRequestSender.maskQuery("/predict?fit=native&token=abc"))
			.isEqualTo("/predict?fit=******&token=******");
		assertThat(LoopbackRequestSender.maskQuery("/p?s3cret")).isEqualTo("/p?******");
		assertThat(LoopbackRequestSender.maskQuery("/p?a=&b")).isEqualTo("/p?a=******&******");
		assertThat(LoopbackRequestSender.maskQuery("/p?a=1#frag")).isEqualTo("/p?a=******");
	}

	private static ConfigurableApplicationContext start(WebApplicationType type, String... properties) {
		String[] all = new String[properties.length + 3];
		all[0] = "server.port=0";
		all[1] = "onnx.cuda.enabled=false";
		all[2] = "spring.main.banner-mode=off";
		System.arraycopy(properties, 0, all, 3, properties.length);
		return new SpringApplicationBuilder(StatusApplication.class).web(type).properties(all).run();
	}

	private static OnnxModelException modelException(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof OnnxModelException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("OnnxModelException behind %s", failure).isNotNull();
		return (OnnxModelException) cause;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ StatusController.class, HoldController.class, SleepController.class })
	static class StatusApplication {

	}

	@RestController
	static class HoldController {

		static CountDownLatch entered = new CountDownLatch(1);

		static CountDownLatch release = new CountDownLatch(1);

		static volatile boolean answered;

		static volatile long enteredAt;

		static final List<JsonNode> seen = new CopyOnWriteArrayList<>();

		private final ObjectProvider<OnnxEndpoint> endpoint;

		HoldController(ObjectProvider<OnnxEndpoint> endpoint) {
			this.endpoint = endpoint;
		}

		static void reset() {
			entered = new CountDownLatch(1);
			release = new CountDownLatch(1);
			answered = false;
			seen.clear();
		}

		@GetMapping("/hold")
		String hold() throws InterruptedException {
			OnnxEndpoint onnx = this.endpoint.getIfAvailable();
			if (onnx != null && seen.isEmpty()) {
				JsonNode requests = EndpointJson.json(onnx.onnx()).path("requests");
				for (int i = 0; i < requests.size(); i++) {
					seen.add(requests.get(i));
				}
			}
			enteredAt = System.nanoTime();
			entered.countDown();
			// long enough to outlast the bound under test, short enough to end the test
			// when the bound does not hold
			release.await(20, TimeUnit.SECONDS);
			answered = true;
			return "held";
		}

	}

	@RestController
	static class SleepController {

		static final List<String> tags = new CopyOnWriteArrayList<>();

		static volatile long firstAt;

		@GetMapping("/sleep/{millis}")
		String sleep(@PathVariable long millis, @RequestParam(required = false) String tag)
				throws InterruptedException {
			if (tag != null) {
				if (tags.isEmpty()) {
					firstAt = System.nanoTime();
				}
				tags.add(tag);
			}
			Thread.sleep(millis);
			return "slept";
		}

		@GetMapping("/secured")
		ResponseEntity<String> secured(@RequestHeader(name = "X-Api-Key", required = false) String key) {
			return "right".equals(key) ? ResponseEntity.ok("in") : ResponseEntity.status(401).body("who?");
		}

	}

	@RestController
	static class StatusController {

		@GetMapping("/status/{code}")
		ResponseEntity<String> status(@PathVariable int code) {
			return ResponseEntity.status(code).body("status " + code);
		}

	}

}
