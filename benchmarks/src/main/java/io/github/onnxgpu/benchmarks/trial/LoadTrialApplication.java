package io.github.onnxgpu.benchmarks.trial;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.Result;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.onnxgpu.benchmarks.Json;
import io.github.onnxgpu.benchmarks.trial.LoadReport.LoadPoint;
import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxInference;

/**
 * A load trial of the starter in a fresh JVM: a Spring Boot app without a web server, set
 * up only through {@code onnx.*} properties (the configuration under test among them).
 * Once ready, callers of {@link OnnxInference#run(String, Map)}, each with its own input,
 * load the model in a closed loop at every caller count of the spec, then in an open loop
 * at every arrival rate; it prints a {@link LoadReport} line.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class LoadTrialApplication {

	/**
	 * Run one load trial.
	 * @param args the path of the load spec
	 * @throws Exception when the trial fails
	 */
	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			throw new IllegalArgumentException("Usage: LoadTrialApplication <load-spec.json>");
		}
		LoadSpec spec = Json.read(Path.of(args[0]), LoadSpec.class);
		SpringApplication application = new SpringApplication(LoadTrialApplication.class);
		application.setDefaultProperties(StarterProperties.of(spec.starter()));
		LoadReport report;
		try (ConfigurableApplicationContext context = application.run()) {
			double readyMs = TrialOutput.millisSinceJvmStart();
			OrtEnvironment environment = context.getBean(OrtEnvironment.class);
			OnnxInference inference = context.getBean(OnnxInference.class);
			int distinct = Math.max(1, spec.callers().stream().mapToInt(Integer::intValue).max().orElse(1));
			List<OnnxTensor> inputs = inputs(environment, spec.features(), distinct);
			try {
				LoadGenerator generator = new LoadGenerator((input) -> {
					try (Result result = inference.run(spec.model(), Map.of(spec.input(), inputs.get(input)))) {
						// the caller's work ends with its result closed
					}
				}, distinct);
				Duration warmup = Duration.ofMillis(spec.warmupMillis());
				Duration measured = Duration.ofMillis(spec.measuredMillis());
				List<LoadPoint> points = new ArrayList<>();
				for (int callers : spec.callers()) {
					points.add(generator.closed(callers, warmup, measured));
					log(spec, points.get(points.size() - 1));
				}
				double baseline = (spec.openLoopBaseline() != null) ? spec.openLoopBaseline()
						: points.stream().mapToDouble(LoadPoint::throughput).max().orElse(0);
				if (baseline > 0) {
					for (double fraction : spec.openLoopFractions()) {
						points.add(generator.open(baseline * fraction, fraction, spec.openLoopThreads(), warmup,
								measured));
						log(spec, points.get(points.size() - 1));
					}
				}
				ManagedModelRegistry registry = context.getBean(ManagedModelRegistry.class);
				OnnxEndpoint endpoint = context.getBeanProvider(OnnxEndpoint.class)
					.getIfAvailable(() -> new OnnxEndpoint(context, false));
				String provider = registry.models()
					.stream()
					.filter((model) -> model.name().equals(spec.model()))
					.map((model) -> model.provider().active().name())
					.findFirst()
					.orElse("?");
				report = new LoadReport(LoadReport.KIND, spec.configuration(), environment.getVersion(), provider,
						readyMs, baseline, points, described(endpoint, spec.model()));
			}
			finally {
				inputs.forEach(OnnxTensor::close);
			}
		}
		System.out.println(Json.line(report));
		System.out.flush();
		System.exit(0);
	}

	// one distinct [1, features] input per caller, so that a batch returning one
	// caller's outputs to another would not go unnoticed
	private static List<OnnxTensor> inputs(OrtEnvironment environment, int features, int count) throws Exception {
		List<OnnxTensor> inputs = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Random random = new Random(31L * i + 7);
			float[] values = new float[features];
			for (int j = 0; j < features; j++) {
				values[j] = random.nextFloat();
			}
			inputs.add(OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), new long[] { 1, features }));
		}
		return inputs;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> described(OnnxEndpoint endpoint, String model) {
		return Json.read(Json.line(endpoint.model(model)), Map.class);
	}

	private static void log(LoadSpec spec, LoadPoint point) {
		System.out.printf(Locale.ROOT,
				"[load] %s %s %s: %.0f/s p50 %.3f p99 %.3f ms, refused %d, failed %d, unfinished %d%n",
				spec.configuration(), point.loop(),
				point.loop().equals(LoadPoint.CLOSED) ? point.callers() + " callers"
						: String.format(Locale.ROOT, "%.0f/s", point.targetRate()),
				point.throughput(), point.p50Ms(), point.p99Ms(), point.refused(), point.failed(), point.unfinished());
		System.out.flush();
	}

}
