package io.github.onnxgpu.boot.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.warmup.request.WarmupRequestResult;
import io.github.onnxgpu.boot.internal.warmup.request.WarmupRequestRunner;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.WarmupRequestMethod;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end: warm-up requests go through a real MVC endpoint of the application, after
 * the models are warm and while readiness still refuses traffic, and show in
 * {@code /actuator/onnx}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "onnx.cuda.enabled=false", "server.servlet.context-path=/app",
				"management.endpoints.web.exposure.include=onnx",
				"onnx.models.detector.warmup.shapes[0].image=1x3x64x64" })
class WarmupRequestsEndToEndTests {

	private static final byte[] BODY = "a preprocessed image".getBytes();

	@Autowired
	PredictController controller;

	@Autowired
	WarmupRequestRunner runner;

	@Autowired
	ApplicationAvailability availability;

	@Value("${local.server.port}")
	int port;

	@DynamicPropertySource
	static void files(DynamicPropertyRegistry registry) throws IOException {
		Path model = Files.createTempFile("detector", ".onnx");
		model.toFile().deleteOnExit();
		Files.write(model, TestModels.detector());
		Path body = Files.createTempFile("body", ".bin");
		body.toFile().deleteOnExit();
		Files.write(body, BODY);
		registry.add("onnx.models.detector.location", () -> "file:" + model);
		// a list binds from one property source only, so every entry is given here
		registry.add("onnx.warmup.requests[0].path", () -> "/predict?token=s3cret");
		registry.add("onnx.warmup.requests[0].method", () -> "post");
		registry.add("onnx.warmup.requests[0].body", () -> "file:" + body);
		registry.add("onnx.warmup.requests[0].content-type", () -> "application/octet-stream");
		registry.add("onnx.warmup.requests[0].headers.X-Trace", () -> "warmup");
		registry.add("onnx.warmup.requests[0].repeat", () -> "3");
		registry.add("onnx.warmup.requests[1].path", () -> "/missing");
		registry.add("onnx.warmup.requests[1].expect-status", () -> "404");
	}

	@Test
	void requestsRunThroughTheControllerAfterModelWarmupAndBeforeReadiness() {
		assertThat(this.controller.calls).hasSize(3).allSatisfy((call) -> {
			assertThat(call.readiness()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
			assertThat(call.model()).isEqualTo(ModelStatus.READY);
			assertThat(call.bodyLength()).isEqualTo(BODY.length);
			assertThat(call.token()).isEqualTo("s3cret");
			assertThat(call.trace()).isEqualTo("warmup");
		});
		assertThat(this.availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
	}

	@Test
	void statusesAndTimingsAreRecorded() {
		List<WarmupRequestResult> results = this.runner.results();
		assertThat(results).hasSize(2);
		WarmupRequestResult predict = results.get(0);
		assertThat(predict.method()).isEqualTo(WarmupRequestMethod.POST);
		assertThat(predict.path()).isEqualTo("/predict?token=******");
		assertThat(predict.statuses()).containsExactly(200, 200, 200);
		assertThat(predict.iterations()).hasSize(3).allSatisfy((run) -> assertThat(run).isPositive());
		assertThat(results.get(1).statuses()).hasSize(10).containsOnly(404);
	}

	@Test
	void endpointListsRequestsWithSecretsMasked() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/app/actuator/onnx")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		String json = response.body();
		assertThat(json).doesNotContain("s3cret");
		assertThat((String) JsonPath.read(json, "$.requests[0].method")).isEqualTo("POST");
		assertThat((String) JsonPath.read(json, "$.requests[0].path")).isEqualTo("/predict?token=******");
		assertThat((List<Integer>) JsonPath.read(json, "$.requests[0].statuses")).containsExactly(200, 200, 200);
		assertThat((List<Double>) JsonPath.read(json, "$.requests[0].iterationsMillis")).hasSize(3);
		assertThat((Object) JsonPath.read(json, "$.requests[0].error")).isNull();
		assertThat((List<Integer>) JsonPath.read(json, "$.requests[1].statuses")).hasSize(10);
	}

	record Call(ReadinessState readiness, ModelStatus model, int bodyLength, String token, String trace) {
	}

	@RestController
	static class PredictController {

		final List<Call> calls = new CopyOnWriteArrayList<>();

		private final ApplicationAvailability availability;

		private final ManagedModelRegistry registry;

		PredictController(ApplicationAvailability availability, ManagedModelRegistry registry) {
			this.availability = availability;
			this.registry = registry;
		}

		@PostMapping("/predict")
		String predict(@RequestBody byte[] body, @RequestParam String token, @RequestHeader("X-Trace") String trace) {
			this.calls.add(new Call(this.availability.getReadinessState(), this.registry.get("detector").status(),
					body.length, token, trace));
			return "ok";
		}

	}

	// no component scanning: this package holds applications that other tests start in
	// JVMs of their own (ShutdownProcess would load the CPU of this test JVM)
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class RequestsApplication {

		@Bean
		PredictController predictController(ApplicationAvailability availability, ManagedModelRegistry registry) {
			return new PredictController(availability, registry);
		}

	}

}
