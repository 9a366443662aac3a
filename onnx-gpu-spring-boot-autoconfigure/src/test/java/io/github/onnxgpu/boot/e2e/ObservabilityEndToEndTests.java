package io.github.onnxgpu.boot.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end over HTTP: the {@code onnx} endpoint, the health contributor in the
 * readiness group and the metrics, for a model that fell back from CUDA to the CPU and a
 * model whose warmup failed under {@code on-failure: mark-down}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "onnx.native.cache.enabled=false", "onnx.cuda.fallback=cpu",
				"onnx.cuda.cudnn-conv-algo-search=HEURISTIC", "onnx.warmup.iterations=3",
				"onnx.models.detector.warmup.shapes[0].x=1x3x16x16",
				"onnx.models.detector.warmup.shapes[1].x=2x3x32x48", "onnx.models.broken.cuda.enabled=false",
				"onnx.models.broken.warmup.timeout=1ms", "onnx.models.broken.warmup.on-failure=mark-down",
				"onnx.models.broken.warmup.iterations=50", "onnx.models.broken.warmup.shapes[0].image=1x3x256x256",
				"management.endpoints.web.exposure.include=onnx,health,metrics",
				"management.endpoint.health.show-details=always", "management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.readiness.include=readinessState,onnx" })
class ObservabilityEndToEndTests {

	@Value("${local.server.port}")
	int port;

	@Autowired
	OnnxInference inference;

	@Autowired
	OrtEnvironment environment;

	@DynamicPropertySource
	static void models(DynamicPropertyRegistry registry) throws IOException {
		Path directory = Files.createTempDirectory("onnx-models");
		directory.toFile().deleteOnExit();
		Path detector = Files.write(directory.resolve("conv-net.onnx"), TestModels.convNet());
		Path broken = Files.write(directory.resolve("detector.onnx"), TestModels.detector());
		detector.toFile().deleteOnExit();
		broken.toFile().deleteOnExit();
		registry.add("onnx.models.detector.location", () -> "file:" + detector);
		registry.add("onnx.models.broken.location", () -> "file:" + broken);
	}

	@Test
	void onnxEndpointDescribesModelsWarmupProviderAndSettings() throws Exception {
		HttpResponse<String> response = get("/actuator/onnx");
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.onnxRuntimeVersion", String.class)).isEqualTo("1.29.0");
		assertThat(json.read("$.providers[0]", Map.class)).containsEntry("name", "CPU")
			.containsEntry("compiledIn", true)
			.containsEntry("loadable", true);
		assertThat(json.read("$.nativeLibraries", Map.class)).containsOnlyKeys("path", "cache", "cacheHit",
				"cacheReason", "cacheMillis");
		// what the native library cache decided before this context, turned off by
		// configuration
		assertThat(json.read("$.nativeLibraries.cache", String.class)).isEqualTo("DISABLED");
		assertThat(json.read("$.nativeLibraries.cacheReason", String.class)).contains("onnx.native.cache.enabled");
		assertThat(json.read("$.models.detector.status", String.class)).isEqualTo("READY");
		assertThat(json.read("$.models.detector.provider", String.class)).isEqualTo("CPU");
		assertThat(json.read("$.models.detector.requestedProvider", String.class)).isEqualTo("CUDA");
		assertThat(json.read("$.models.detector.fallbackReason", String.class)).isNotBlank();
		assertThat(json.read("$.models.detector.location", String.class)).endsWith("conv-net.onnx");
		assertThat(json.read("$.models.detector.sessionCreationMillis", Double.class)).isPositive();
		assertThat(json.read("$.models.detector.warmup.durationMillis", Double.class)).isPositive();
		assertThat(json.read("$.models.detector.warmup.samples[*].inputs.x", List.class))
			.containsExactly(List.of(1, 3, 16, 16), List.of(2, 3, 32, 48));
		// at least the 3 iterations, and on until steady
		assertThat(json.read("$.models.detector.warmup.samples[1].iterationsMillis", List.class)).hasSizeBetween(3, 20);
		assertThat(json.read("$.models.detector.warmup.samples[*].steady", List.class)).hasSize(2)
			.allSatisfy((steady) -> assertThat(steady).isInstanceOf(Boolean.class));
		assertThat(json.read("$.models.detector.warmup.samples[1].firstMillis", Double.class))
			.isEqualTo(json.read("$.models.detector.warmup.samples[1].iterationsMillis[0]", Double.class));
		assertThat(json.read("$.models.detector.settings.cuda.cudnn_conv_algo_search", String.class))
			.isEqualTo("HEURISTIC");
		assertThat(json.read("$.models.detector.inputs.x.type", String.class)).isEqualTo("FLOAT");
		assertThat(json.read("$.models.detector.inputs.x.shape", List.class)).containsExactly(-1, 3, -1, -1);
		// absent values are explicit nulls, as clients expect the documented fields
		assertThat(json.read("$.models.detector.warmup", Map.class)).containsEntry("error", null);
		assertThat(json.read("$.models.broken", Map.class)).containsEntry("fallbackReason", null);
		assertThat(json.read("$.models.broken.status", String.class)).isEqualTo("FAILED");
		assertThat(json.read("$.models.broken.warmup.error", String.class)).contains("timed out");
	}

	@Test
	void onnxEndpointDescribesOneModelAndAnswers404ForUnknown() throws Exception {
		HttpResponse<String> detector = get("/actuator/onnx/detector");
		assertThat(detector.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(detector.body()).read("$.provider", String.class)).isEqualTo("CPU");
		assertThat(get("/actuator/onnx/nope").statusCode()).isEqualTo(404);
	}

	@Test
	void healthShowsModelMarkedDownAndTakesInstanceOutOfRotation() throws Exception {
		DocumentContext health = JsonPath.parse(get("/actuator/health").body());
		assertThat(health.read("$.components.onnx.components.detector.status", String.class)).isEqualTo("UP");
		assertThat(health.read("$.components.onnx.components.detector.details.provider", String.class))
			.isEqualTo("CPU");
		assertThat(health.read("$.components.onnx.components.broken.status", String.class)).isEqualTo("DOWN");
		assertThat(health.read("$.components.onnx.components.broken.details.error", String.class))
			.contains("timed out");
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
	}

	@Test
	void metricsAreExposed() throws Exception {
		HttpResponse<String> metric = get("/actuator/metrics/onnx.warmup.sample.first?tag=shape:2x3x32x48");
		assertThat(metric.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(metric.body()).read("$.measurements[0].value", Double.class)).isPositive();
	}

	@Test
	void inferenceThroughOnnxInferenceIsAnObservationTimedAsOnnxInference() throws Exception {
		try (OnnxTensor input = OnnxTensor.createTensor(this.environment, new float[1][3][8][8])) {
			this.inference.run("detector", Map.of("x", input)).close();
		}
		HttpResponse<String> all = get("/actuator/metrics/onnx.inference");
		assertThat(all.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(all.body()).read("$.availableTags[*].tag", List.class)).contains("model", "provider",
				"outcome");
		HttpResponse<String> success = get(
				"/actuator/metrics/onnx.inference?tag=model:detector&tag=provider:CPU&tag=outcome:success");
		assertThat(success.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(success.body()).read("$.measurements[?(@.statistic == 'COUNT')].value", List.class))
			.containsExactly(1.0);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	// no component scanning: this package holds applications that other tests start in
	// JVMs of their own (ShutdownProcess would load the CPU of this test JVM)
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ObservedApplication {

	}

}
