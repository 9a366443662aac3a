package io.github.onnxgpu.boot.internal.warmup.request;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.model.WarmupFailureAction;
import io.github.onnxgpu.boot.model.WarmupRequestMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link WarmupRequestRunner}: real applications sending requests to
 * themselves.
 */
class WarmupRequestRunnerTests {

	@Test
	void requestAnsweringAnUnexpectedStatusFailsStartupNamingTheRequest() {
		Throwable failure = catchThrowable(
				() -> start(WebApplicationType.SERVLET, "onnx.warmup.requests[0].path=/status/204",
						"onnx.warmup.requests[1].path=/status/500?key=s3cret")
					.close());
		OnnxModelException exception = modelException(failure);
		assertThat(exception.getProperty()).isEqualTo("onnx.warmup.requests[1]");
		assertThat(exception.getMessage()).contains("warm-up request GET /status/500?key=******")
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
				Duration.ofSeconds(30));
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
	@Import(StatusController.class)
	static class StatusApplication {

	}

	@RestController
	static class StatusController {

		@GetMapping("/status/{code}")
		ResponseEntity<String> status(@PathVariable int code) {
			return ResponseEntity.status(code).body("status " + code);
		}

	}

}
