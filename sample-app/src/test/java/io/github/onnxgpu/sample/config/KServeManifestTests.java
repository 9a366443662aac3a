package io.github.onnxgpu.sample.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

import io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/kserve/sample-app-kserve.yaml} against the sample's configuration: a
 * KServe {@code ServingRuntime} speaking the Open Inference Protocol (v2 and grpc-v2) on
 * the ports the app listens on, probes on the protocol's health endpoints, environment
 * variables that Boot really binds to the protocol's properties, and an
 * {@code InferenceService} that uses the runtime for a format it supports.
 */
class KServeManifestTests {

	private static final Path MANIFEST = Path.of(System.getProperty("sample.project-root", ".."), "deploy", "kserve",
			"sample-app-kserve.yaml");

	private static Map<String, Object> runtime;

	private static Map<String, Object> inferenceService;

	private static Map<String, Object> container;

	@BeforeAll
	static void parseManifest() throws IOException {
		try (Reader reader = Files.newBufferedReader(MANIFEST)) {
			for (Object document : new Yaml().loadAll(reader)) {
				Map<String, Object> resource = map(document);
				switch ((String) resource.get("kind")) {
					case "ServingRuntime" -> runtime = resource;
					case "InferenceService" -> inferenceService = resource;
					default -> throw new IllegalStateException("Unexpected kind " + resource.get("kind"));
				}
			}
		}
		assertThat(runtime).as("ServingRuntime in %s", MANIFEST).isNotNull();
		assertThat(inferenceService).as("InferenceService in %s", MANIFEST).isNotNull();
		assertThat(runtime).containsEntry("apiVersion", "serving.kserve.io/v1alpha1");
		assertThat(inferenceService).containsEntry("apiVersion", "serving.kserve.io/v1beta1");
		List<Object> containers = list(at(runtime, "spec", "containers"));
		assertThat(containers).hasSize(1);
		container = map(containers.get(0));
	}

	@Test
	void runtimeSpeaksTheProtocolOnThePortsTheAppListensOn() {
		assertThat(list(at(runtime, "spec", "protocolVersions"))).containsExactlyInAnyOrder("v2", "grpc-v2");
		List<Object> ports = list(container.get("ports"));
		Map<String, Object> http = map(ports.get(0));
		Binder app = SampleConfiguration.binder(SampleConfiguration.sources("gpu"));
		assertThat(http.get("containerPort")).isEqualTo(app.bind("server.port", Integer.class).get());
		// KServe sends grpc-v2 to the port named h2c
		Map<String, Object> grpc = ports.stream()
			.map(KServeManifestTests::map)
			.filter((port) -> "h2c".equals(port.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(Integer.toString((int) grpc.get("containerPort")))
			.isEqualTo(environment().get("SPRING_GRPC_SERVER_PORT"));
	}

	@Test
	void probesUseTheProtocolsHealthEndpointsOnTheRestPort() {
		Object restPort = map(list(container.get("ports")).get(0)).get("containerPort");
		assertThat(map(at(container, "readinessProbe", "httpGet"))).containsEntry("path", "/v2/health/ready")
			.containsEntry("port", restPort);
		assertThat(map(at(container, "livenessProbe", "httpGet"))).containsEntry("path", "/v2/health/live")
			.containsEntry("port", restPort);
		assertThat(map(at(container, "startupProbe", "httpGet"))).containsEntry("port", restPort);
	}

	@Test
	void environmentTurnsOnRestAndGrpcThroughTheStartersProperties() {
		Map<String, Object> environment = environment();
		assertThat(environment.values()).as("Kubernetes takes only strings as values")
			.allMatch(String.class::isInstance);
		Map<String, Object> variables = new LinkedHashMap<>(environment);
		variables.keySet().removeIf((name) -> !name.startsWith("ONNX_"));
		// every ONNX_ variable must land on a property: a misspelt one would be ignored
		Binder variablesOnly = SampleConfiguration.binder(List.of(containerEnvironment(variables)));
		OnnxOpenInferenceProperties bound = variablesOnly.bindOrCreate(OnnxOpenInferenceProperties.PREFIX,
				Bindable.of(OnnxOpenInferenceProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
		assertThat(bound.getRest().isEnabled()).isTrue();
		assertThat(bound.getGrpc().isEnabled()).isTrue();
		assertThat(SampleConfiguration.binder(List.of(containerEnvironment(environment)))
			.bind("spring.grpc.server.port", Integer.class)
			.get()).isEqualTo(8081);
		assertThat(environment).containsEntry("SPRING_PROFILES_ACTIVE", "gpu");
	}

	@Test
	void inferenceServiceUsesTheRuntimeForAFormatItSupports() {
		Map<String, Object> model = map(at(inferenceService, "spec", "predictor", "model"));
		assertThat(model).containsEntry("runtime", at(runtime, "metadata", "name"))
			.containsEntry("protocolVersion", "v2");
		Object format = at(model, "modelFormat", "name");
		assertThat(list(at(runtime, "spec", "supportedModelFormats"))).extracting((entry) -> map(entry).get("name"))
			.contains(format);
	}

	private static PropertySource<?> containerEnvironment(Map<String, Object> variables) {
		return new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				variables);
	}

	private static Map<String, Object> environment() {
		Map<String, Object> environment = new LinkedHashMap<>();
		for (Object variable : list(container.get("env"))) {
			Map<String, Object> entry = map(variable);
			environment.put((String) entry.get("name"), entry.get("value"));
		}
		return environment;
	}

	private static Object at(Map<String, Object> resource, String... path) {
		Object node = resource;
		for (String key : path) {
			node = map(node).get(key);
			assertThat(node).as("%s in %s", String.join(".", path), MANIFEST).isNotNull();
		}
		return node;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object node) {
		assertThat(node).isInstanceOf(Map.class);
		return (Map<String, Object>) node;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object node) {
		assertThat(node).isInstanceOf(List.class);
		return (List<Object>) node;
	}

}
