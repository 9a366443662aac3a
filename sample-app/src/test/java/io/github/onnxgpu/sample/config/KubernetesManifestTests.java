package io.github.onnxgpu.sample.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;
import org.yaml.snakeyaml.Yaml;

import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.internal.metrics.OnnxMetrics;
import io.github.onnxgpu.boot.model.ArenaExtendStrategy;
import io.github.onnxgpu.boot.model.CudaFallback;
import io.github.onnxgpu.boot.model.CudnnConvAlgoSearch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/k8s/sample-app.yaml} against the sample's configuration: probes on the
 * actuator's health groups at the port the app listens on, a startup budget longer than
 * the warmup may take, a GPU, and environment variables that Boot really binds; and
 * {@code deploy/k8s/sample-app-autoscaling.yaml}: an autoscaler of that Deployment on the
 * Prometheus name of the starter's queue-depth gauge, scraped where the app serves it.
 */
class KubernetesManifestTests {

	private static final Path MANIFEST = Path.of(System.getProperty("sample.project-root", ".."), "deploy", "k8s",
			"sample-app.yaml");

	private static final Path AUTOSCALING = MANIFEST.resolveSibling("sample-app-autoscaling.yaml");

	private static Map<String, Object> deployment;

	private static Map<String, Object> service;

	private static Map<String, Object> container;

	private static Map<String, Object> autoscaler;

	private static Map<String, Object> podMonitor;

	@BeforeAll
	static void parseManifest() throws IOException {
		try (Reader reader = Files.newBufferedReader(MANIFEST)) {
			for (Object document : new Yaml().loadAll(reader)) {
				Map<String, Object> resource = map(document);
				switch ((String) resource.get("kind")) {
					case "Deployment" -> deployment = resource;
					case "Service" -> service = resource;
					default -> throw new IllegalStateException("Unexpected kind " + resource.get("kind"));
				}
			}
		}
		assertThat(deployment).as("Deployment in %s", MANIFEST).isNotNull();
		assertThat(service).as("Service in %s", MANIFEST).isNotNull();
		List<Object> containers = list(at(deployment, "spec", "template", "spec", "containers"));
		assertThat(containers).hasSize(1);
		container = map(containers.get(0));
		try (Reader reader = Files.newBufferedReader(AUTOSCALING)) {
			for (Object document : new Yaml().loadAll(reader)) {
				Map<String, Object> resource = map(document);
				switch ((String) resource.get("kind")) {
					case "HorizontalPodAutoscaler" -> autoscaler = resource;
					case "PodMonitor" -> podMonitor = resource;
					default -> throw new IllegalStateException("Unexpected kind " + resource.get("kind"));
				}
			}
		}
		assertThat(autoscaler).as("HorizontalPodAutoscaler in %s", AUTOSCALING).isNotNull();
		assertThat(podMonitor).as("PodMonitor in %s", AUTOSCALING).isNotNull();
	}

	@Test
	void autoscalerScalesTheDeploymentOnThePrometheusNameOfTheStartersQueueDepthGauge() {
		assertThat(map(at(autoscaler, "spec", "scaleTargetRef"))).containsEntry("apiVersion", "apps/v1")
			.containsEntry("kind", "Deployment")
			.containsEntry("name", at(deployment, "metadata", "name"));
		List<Object> metrics = list(at(autoscaler, "spec", "metrics"));
		assertThat(metrics).hasSize(1);
		Map<String, Object> metric = map(metrics.get(0));
		assertThat(metric).containsEntry("type", "Pods");
		// the name Micrometer's Prometheus registry gives the gauge:
		// onnx_batch_queue_depth
		String prometheusName = new PrometheusNamingConvention().name(OnnxMetrics.BATCH_QUEUE_DEPTH, Meter.Type.GAUGE);
		assertThat(at(metric, "pods", "metric", "name")).isEqualTo(prometheusName);
		// the gauge is registered for a batched model only, tagged with its name: the
		// model /predict runs must batch in the profile the Deployment runs
		Binder gpu = SampleConfiguration.binder(SampleConfiguration.sources("gpu"));
		String model = gpu.bind("sample.predict.model", String.class).get();
		assertThat(map(at(metric, "pods", "metric", "selector", "matchLabels"))).isEqualTo(Map.of("model", model));
		assertThat(environment()).containsEntry("SPRING_PROFILES_ACTIVE", "gpu");
		OnnxProperties onnx = gpu.bindOrCreate("onnx", OnnxProperties.class);
		assertThat(onnx.getModels().get(model).getBatching().isEnabled())
			.as("batching of model '%s' in the gpu profile", model)
			.isTrue();
		assertThat(map(at(metric, "pods", "target"))).containsEntry("type", "AverageValue");
		int target = Integer.parseInt((String) at(metric, "pods", "target", "averageValue"));
		Integer queueSize = onnx.getModels().get(model).getBatching().getQueueSize();
		assertThat(target).as("scale before the queue refuses runs").isPositive().isLessThan(queueSize);
	}

	@Test
	void podMonitorScrapesThePrometheusEndpointOfThePods() {
		Binder app = SampleConfiguration.binder(SampleConfiguration.sources("gpu"));
		assertThat(app.bind("management.endpoints.web.exposure.include", Bindable.listOf(String.class)).get())
			.contains("prometheus");
		String prometheus = app.bind("management.endpoints.web.base-path", String.class).orElse("/actuator")
				+ "/prometheus";
		Map<String, Object> endpoint = map(list(at(podMonitor, "spec", "podMetricsEndpoints")).get(0));
		Map<String, Object> port = map(list(container.get("ports")).get(0));
		assertThat(endpoint).containsEntry("path", prometheus).containsEntry("port", port.get("name"));
		Map<String, Object> podLabels = map(at(deployment, "spec", "template", "metadata", "labels"));
		assertThat(podLabels).containsAllEntriesOf(map(at(podMonitor, "spec", "selector", "matchLabels")));
	}

	@Test
	void probesUseActuatorHealthGroupsOnTheServerPort() {
		Binder app = SampleConfiguration.binder(SampleConfiguration.sources("gpu"));
		assertThat(app.bind("management.server.port", Integer.class).isBound())
			.as("a separate management port would need the probes to use it")
			.isFalse();
		assertThat(app.bind("management.endpoint.health.probes.enabled", Boolean.class).get()).isTrue();
		String health = app.bind("management.endpoints.web.base-path", String.class).orElse("/actuator") + "/health";
		Map<String, Object> port = map(list(container.get("ports")).get(0));
		assertThat(port.get("containerPort")).isEqualTo(app.bind("server.port", Integer.class).get());
		// liveness: a model marked down must take the pod out of rotation, not restart it
		assertThat(httpGet("startupProbe")).containsEntry("path", health + "/liveness")
			.containsEntry("port", port.get("name"));
		assertThat(httpGet("livenessProbe")).containsEntry("path", health + "/liveness")
			.containsEntry("port", port.get("name"));
		assertThat(httpGet("readinessProbe")).containsEntry("path", health + "/readiness")
			.containsEntry("port", port.get("name"));
	}

	@Test
	void startupProbeWaitsLongerThanTheWarmupMayTake() {
		Map<String, Object> probe = map(container.get("startupProbe"));
		Duration budget = Duration.ofSeconds((int) probe.getOrDefault("initialDelaySeconds", 0)
				+ (int) probe.get("periodSeconds") * (int) probe.get("failureThreshold"));
		OnnxProperties gpu = SampleConfiguration.binder(SampleConfiguration.sources("gpu"))
			.bindOrCreate("onnx", OnnxProperties.class);
		// a minute for the JVM, CUDA initialisation and session creation before the
		// warmup starts
		assertThat(budget).isGreaterThanOrEqualTo(gpu.getWarmup().getTimeout().plusMinutes(1));
	}

	@Test
	void terminationGraceOutlastsPreStopAndGracefulShutdown() {
		Duration shutdownPhase = SampleConfiguration.binder(SampleConfiguration.sources("gpu"))
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
		List<Object> preStop = list(at(container, "lifecycle", "preStop", "exec", "command"));
		assertThat(preStop).last().asString().matches("sleep \\d+");
		Duration sleep = Duration.ofSeconds(Long.parseLong(preStop.get(preStop.size() - 1).toString().substring(6)));
		int grace = (int) at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
		assertThat(Duration.ofSeconds(grace)).isGreaterThan(shutdownPhase.plus(sleep));
	}

	@Test
	void containerRequestsOneGpu() {
		assertThat(map(at(container, "resources", "limits"))).containsEntry("nvidia.com/gpu", 1);
		assertThat(map(at(container, "resources", "requests"))).containsEntry("nvidia.com/gpu", 1);
	}

	@Test
	void serviceTargetsTheContainerPortOfThePods() {
		Map<String, Object> port = map(list(container.get("ports")).get(0));
		assertThat(map(list(at(service, "spec", "ports")).get(0))).containsEntry("targetPort", port.get("name"));
		Map<String, Object> podLabels = map(at(deployment, "spec", "template", "metadata", "labels"));
		assertThat(podLabels).containsAllEntriesOf(map(at(service, "spec", "selector")));
		assertThat(podLabels).containsAllEntriesOf(map(at(deployment, "spec", "selector", "matchLabels")));
	}

	@Test
	void environmentSelectsGpuProfileAndBindsToOnnxCudaProperties() {
		Map<String, Object> environment = environment();
		assertThat(environment).containsEntry("SPRING_PROFILES_ACTIVE", "gpu");
		assertThat(environment.values()).as("Kubernetes takes only strings as values")
			.allMatch(String.class::isInstance);
		Map<String, Object> onnxVariables = new LinkedHashMap<>(environment);
		onnxVariables.keySet().removeIf((name) -> !name.startsWith("ONNX_"));
		assertThat(onnxVariables).containsKeys("ONNX_CUDA_FALLBACK", "ONNX_CUDA_CUDNNCONVALGOSEARCH");
		// every ONNX_ variable must land on a property: a misspelt one would be ignored
		// silently
		Binder variablesOnly = SampleConfiguration.binder(List.of(containerEnvironment(onnxVariables)));
		OnnxProperties bound = variablesOnly.bindOrCreate("onnx", Bindable.of(OnnxProperties.class),
				new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
		assertThat(bound.getCuda().getFallback()).isEqualTo(CudaFallback.FAIL);
		assertThat(bound.getCuda().getCudnnConvAlgoSearch()).isEqualTo(CudnnConvAlgoSearch.EXHAUSTIVE);
		assertThat(bound.getCuda().getGpuMemLimit()).isEqualTo(DataSize.ofGigabytes(2));
		assertThat(bound.getCuda().getArenaExtendStrategy()).isEqualTo(ArenaExtendStrategy.SAME_AS_REQUESTED);
		assertThat(bound.getCuda().getDeviceId()).isZero();
		// and they win over the configuration files, as in the running app
		List<PropertySource<?>> layered = new ArrayList<>();
		layered.add(containerEnvironment(Map.of("ONNX_CUDA_CUDNNCONVALGOSEARCH", "HEURISTIC")));
		layered.addAll(SampleConfiguration.sources("gpu"));
		assertThat(SampleConfiguration.binder(layered)
			.bindOrCreate("onnx", OnnxProperties.class)
			.getCuda()
			.getCudnnConvAlgoSearch()).isEqualTo(CudnnConvAlgoSearch.HEURISTIC);
	}

	// Boot maps names such as ONNX_CUDA_CUDNNCONVALGOSEARCH only for a source named as
	// the
	// process environment is
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

	private static Map<String, Object> httpGet(String probe) {
		return map(at(container, probe, "httpGet"));
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
