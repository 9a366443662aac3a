package io.github.onnxgpu.benchmarks.jmh;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.onnxgpu.benchmarks.Json;
import io.github.onnxgpu.benchmarks.trial.ProbeInputs;
import io.github.onnxgpu.benchmarks.trial.ProviderSpec;
import io.github.onnxgpu.benchmarks.trial.StarterProperties;
import io.github.onnxgpu.benchmarks.trial.StarterTrialApplication;
import io.github.onnxgpu.benchmarks.trial.TrialSpec;
import io.github.onnxgpu.boot.internal.session.DefaultOnnxInference;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxInference;

/**
 * Per-call cost of the starter's inference paths against a plain {@code OrtSession.run}
 * on the very same session, loaded and warmed by the starter in a Spring context. Every
 * path runs the same inputs and closes the result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InferencePathBenchmark {

	/** The model's name, also the name of its OrtSession bean. */
	public static final String MODEL = "model";

	/** Absolute path of the model file. */
	@Param("")
	public String modelFile;

	/** Input name to dimensions, as JSON, such as {@code {"image":"1x3x80x80"}}. */
	@Param("")
	public String inputs;

	/** The {@link ProviderSpec}, as JSON. */
	@Param("")
	public String provider;

	private ConfigurableApplicationContext context;

	private OrtSession plainSession;

	private OrtSession sessionBean;

	private ManagedModel model;

	private ProbeInputs probeInputs;

	private DefaultOnnxInference inference;

	/**
	 * Start the starter with the model warmed at the benchmarked shape.
	 * @throws OrtException when the inputs cannot be created
	 */
	@Setup(Level.Trial)
	@SuppressWarnings("unchecked")
	public void start() throws OrtException {
		Map<String, String> dimensions = Json.read(this.inputs, Map.class);
		TrialSpec spec = new TrialSpec(
				List.of(new TrialSpec.ModelSpec(MODEL, Path.of(this.modelFile).toString(), List.of(dimensions))),
				new TrialSpec.WarmupSpec(true, 3, 1), Json.read(this.provider, ProviderSpec.class), List.of(), 0, 0, 0,
				0, Map.of());
		SpringApplication application = new SpringApplication(StarterTrialApplication.class);
		application.setDefaultProperties(StarterProperties.of(spec));
		this.context = application.run();
		this.model = this.context.getBean(ManagedModelRegistry.class).get(MODEL);
		this.plainSession = this.model.session();
		this.sessionBean = this.context.getBean(MODEL, OrtSession.class);
		if (this.sessionBean != this.plainSession) {
			throw new IllegalStateException("The OrtSession bean is not the registry's session");
		}
		// OnnxInference as a service with Micrometer has it: every run observed and
		// recorded in the
		// onnx.inference timer by Micrometer's default meter observation handler, as
		// Spring Boot sets it up
		ManagedModelRegistry registry = this.context.getBean(ManagedModelRegistry.class);
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
		this.inference = new DefaultOnnxInference(registry, this.context.getBean(OrtEnvironment.class), observations,
				null);
		this.probeInputs = ProbeInputs.random(this.context.getBean(OrtEnvironment.class), this.model.inputs(),
				dimensions, 7);
	}

	/**
	 * Close the inputs and the context.
	 */
	@TearDown(Level.Trial)
	public void stop() {
		if (this.probeInputs != null) {
			this.probeInputs.close();
		}
		if (this.context != null) {
			this.context.close();
		}
	}

	/**
	 * The baseline: {@code OrtSession.run} on the session.
	 * @return the number of outputs
	 * @throws OrtException when the run fails
	 */
	@Benchmark
	public int plainSessionRun() throws OrtException {
		try (Result result = this.plainSession.run(this.probeInputs.tensors())) {
			return result.size();
		}
	}

	/**
	 * The OrtSession bean a user injects: the same object, so the same cost by
	 * construction.
	 * @return the number of outputs
	 * @throws OrtException when the run fails
	 */
	@Benchmark
	public int starterSessionBean() throws OrtException {
		try (Result result = this.sessionBean.run(this.probeInputs.tensors())) {
			return result.size();
		}
	}

	/**
	 * {@link ManagedModel#call}: the run counted as in flight so shutdown never closes
	 * the session under it.
	 * @return the number of outputs
	 * @throws OrtException when the run fails
	 */
	@Benchmark
	public int starterModelCall() throws OrtException {
		return this.model.call((session) -> {
			try (Result result = session.run(this.probeInputs.tensors())) {
				return result.size();
			}
		});
	}

	/**
	 * {@link OnnxInference#run}: the model looked up by name, the run counted as in
	 * flight and recorded in the {@code onnx.inference} timer.
	 * @return the number of outputs
	 * @throws OrtException when the run fails
	 */
	@Benchmark
	public int starterInferenceWithMetrics() throws OrtException {
		try (Result result = this.inference.run(MODEL, this.probeInputs.tensors())) {
			return result.size();
		}
	}

}
