package io.github.onnxgpu.benchmarks.trial;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.onnxgpu.benchmarks.Json;
import io.github.onnxgpu.benchmarks.trial.TrialReport.ModelReport;
import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.model.ModelWarmup;
import io.github.onnxgpu.boot.model.OnnxModel;
import io.github.onnxgpu.boot.model.OnnxModelRegistry;

/**
 * A trial of the starter in a fresh JVM: a Spring Boot app without a web server, set up
 * only through {@code onnx.*} properties. When readiness switches to ACCEPTING_TRAFFIC
 * (after the starter's warmup) it times the probes through the {@link OrtSession} beans,
 * as a controller would use them, and prints a {@link TrialReport} line, with each
 * model's {@code tuning} section of {@code /actuator/onnx} read through the
 * {@link OnnxEndpoint}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class StarterTrialApplication {

	/**
	 * Run one trial.
	 * @param args the path of the trial spec
	 * @throws Exception when the trial fails
	 */
	public static void main(String[] args) throws Exception {
		TrialSpec spec = TrialOutput.readSpec(args);
		ReadinessTimeline timeline = new ReadinessTimeline();
		SpringApplication application = new SpringApplication(StarterTrialApplication.class);
		application.setDefaultProperties(StarterProperties.of(spec));
		application.addListeners(timeline);
		TrialReport report;
		try (ConfigurableApplicationContext context = application.run()) {
			if (timeline.readyNanos == 0) {
				throw new IllegalStateException("The application never reported ReadinessState.ACCEPTING_TRAFFIC");
			}
			OrtEnvironment environment = context.getBean(OrtEnvironment.class);
			ProbeRunner probes = ProbeRunner.of(environment, (name) -> context.getBean(name, OrtSession.class), spec);
			OnnxModelRegistry registry = context.getBean(OnnxModelRegistry.class);
			OnnxEndpoint endpoint = context.getBeanProvider(OnnxEndpoint.class)
				.getIfAvailable(() -> new OnnxEndpoint(context, false));
			report = new TrialReport(TrialReport.KIND, "starter", environment.getVersion(), timeline.jvmStartToReadyMs,
					(timeline.readyNanos - timeline.preparedNanos) / 1e6, null, models(registry, endpoint),
					probes.run(spec.probes()));
		}
		TrialOutput.print(report);
		System.exit(0);
	}

	private static List<ModelReport> models(OnnxModelRegistry registry, OnnxEndpoint endpoint) {
		List<OnnxModel> models = new ArrayList<>(registry.models());
		Instant firstWarmup = models.stream()
			.map(OnnxModel::warmup)
			.filter(Objects::nonNull)
			.map(ModelWarmup::startedAt)
			.min(Comparator.naturalOrder())
			.orElse(null);
		List<ModelReport> reports = new ArrayList<>();
		for (OnnxModel model : models) {
			ModelWarmup warmup = model.warmup();
			Double warmupMs = (warmup != null) ? millis(warmup.duration()) : null;
			Double warmupStartMs = (warmup != null) ? millis(Duration.between(firstWarmup, warmup.startedAt())) : null;
			Map<String, Object> described = described(endpoint, model.name());
			reports.add(new ModelReport(model.name(), model.activeProvider().name(),
					((Number) described.get("sessionCreationMillis")).doubleValue(),
					((Number) described.get("providerSetupMillis")).doubleValue(), warmupMs, warmupStartMs,
					tuning(described)));
		}
		return reports;
	}

	// as JSON, the way /actuator/onnx shows it
	@SuppressWarnings("unchecked")
	private static Map<String, Object> described(OnnxEndpoint endpoint, String model) {
		return Json.read(Json.line(endpoint.model(model)), Map.class);
	}

	// null while the starter has no tuning
	@SuppressWarnings("unchecked")
	private static Map<String, Object> tuning(Map<String, Object> described) {
		return (Map<String, Object>) described.get("tuning");
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1e6;
	}

	/**
	 * Records when the context refresh starts and when readiness switches to accepting
	 * traffic.
	 */
	static final class ReadinessTimeline implements ApplicationListener<ApplicationEvent> {

		volatile long preparedNanos;

		volatile long readyNanos;

		volatile double jvmStartToReadyMs;

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof ApplicationPreparedEvent) {
				this.preparedNanos = System.nanoTime();
			}
			else if (event instanceof AvailabilityChangeEvent<?> change
					&& change.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
				this.readyNanos = System.nanoTime();
				this.jvmStartToReadyMs = TrialOutput.millisSinceJvmStart();
			}
		}

	}

}
