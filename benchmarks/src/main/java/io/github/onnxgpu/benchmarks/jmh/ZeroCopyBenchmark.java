package io.github.onnxgpu.benchmarks.jmh;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
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

import io.github.onnxgpu.benchmarks.trial.ProviderSpec;
import io.github.onnxgpu.benchmarks.trial.StarterProperties;
import io.github.onnxgpu.benchmarks.trial.StarterTrialApplication;
import io.github.onnxgpu.benchmarks.trial.TrialSpec;
import io.github.onnxgpu.boot.internal.session.DefaultOnnxInference;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxBinding;
import io.github.onnxgpu.boot.model.OnnxInference;

/**
 * One request's worth of work on a single-input FLOAT model, four ways: its input values
 * (a float array the caller already has) go into a tensor, the model runs, and the last
 * output value is read. (a) to (c) are what users write with ONNX Runtime's Java API; (d)
 * is an {@link OnnxBinding}, borrowed and given back per call as a request would. Run
 * with the GC profiler for the bytes each call allocates on the heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ZeroCopyBenchmark {

	/** The model's name in the starter. */
	public static final String MODEL = "model";

	/** Absolute path of the model file. */
	@Param("")
	public String modelFile;

	/** The name of the model's only input. */
	@Param("")
	public String input;

	/** The input's dimensions, such as {@code 1x3x80x80}. */
	@Param("")
	public String shape;

	private ConfigurableApplicationContext context;

	private OrtEnvironment environment;

	private OrtSession session;

	private DefaultOnnxInference inference;

	private DefaultOnnxInference observedInference;

	private long[] dims;

	private Map<String, long[]> inputShapes;

	private float[] values;

	private float[][][][] nested;

	/**
	 * Start the starter with the model warmed at the benchmarked shape.
	 */
	@Setup(Level.Trial)
	public void start() {
		TrialSpec spec = new TrialSpec(
				List.of(new TrialSpec.ModelSpec(MODEL, Path.of(this.modelFile).toString(),
						List.of(Map.of(this.input, this.shape)))),
				new TrialSpec.WarmupSpec(true, 3, 1), ProviderSpec.cpu(), List.of(), 0, 0, 0, 0, Map.of());
		SpringApplication application = new SpringApplication(StarterTrialApplication.class);
		application.setDefaultProperties(StarterProperties.of(spec));
		this.context = application.run();
		ManagedModelRegistry registry = this.context.getBean(ManagedModelRegistry.class);
		ManagedModel model = registry.get(MODEL);
		this.environment = this.context.getBean(OrtEnvironment.class);
		this.session = model.session();
		// like (a) to (c), which are not observed: no observation registry
		this.inference = new DefaultOnnxInference(registry, this.environment, ObservationRegistry.NOOP, null);
		// as a service with Micrometer has it: every binding run observed into the
		// onnx.inference timer
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
		this.observedInference = new DefaultOnnxInference(registry, this.environment, observations, null);
		this.dims = parse(this.shape);
		this.inputShapes = Map.of(this.input, this.dims);
		this.values = new float[Math.toIntExact(count(this.dims))];
		Random random = new Random(7);
		for (int i = 0; i < this.values.length; i++) {
			this.values[i] = random.nextFloat();
		}
		this.nested = nest(this.values, this.dims);
	}

	/**
	 * Close the bindings and the context.
	 */
	@TearDown(Level.Trial)
	public void stop() {
		if (this.inference != null) {
			this.inference.close();
			this.observedInference.close();
		}
		if (this.context != null) {
			this.context.close();
		}
	}

	/**
	 * (a) {@code OnnxTensor.createTensor(env, float[][][][])}: ONNX Runtime walks the
	 * nested arrays into a new direct buffer.
	 * @return the last output value
	 * @throws OrtException when the run fails
	 */
	@Benchmark
	public float heapArrays() throws OrtException {
		try (OnnxTensor tensor = OnnxTensor.createTensor(this.environment, this.nested);
				Result result = this.session.run(Map.of(this.input, tensor))) {
			return last(result);
		}
	}

	/**
	 * (b) A heap {@link FloatBuffer}: ONNX Runtime copies it into a new direct buffer.
	 * @return the last output value
	 * @throws OrtException when the run fails
	 */
	@Benchmark
	public float heapBuffer() throws OrtException {
		try (OnnxTensor tensor = OnnxTensor.createTensor(this.environment, FloatBuffer.wrap(this.values), this.dims);
				Result result = this.session.run(Map.of(this.input, tensor))) {
			return last(result);
		}
	}

	/**
	 * (c) A new direct buffer per call, which ONNX Runtime uses in place.
	 * @return the last output value
	 * @throws OrtException when the run fails
	 */
	@Benchmark
	public float newDirectBuffer() throws OrtException {
		FloatBuffer direct = ByteBuffer.allocateDirect(this.values.length * Float.BYTES)
			.order(ByteOrder.nativeOrder())
			.asFloatBuffer();
		direct.put(this.values).rewind();
		try (OnnxTensor tensor = OnnxTensor.createTensor(this.environment, direct, this.dims);
				Result result = this.session.run(Map.of(this.input, tensor))) {
			return last(result);
		}
	}

	/**
	 * (d) An {@link OnnxBinding} borrowed for the call: the input written into its
	 * buffer, the output read from its pinned buffer. Not observed, like (a) to (c).
	 * @return the last output value
	 * @throws OrtException when the run fails
	 */
	@Benchmark
	public float binding() throws OrtException {
		return runBinding(this.inference);
	}

	/**
	 * (d) with every run observed into the {@code onnx.inference} timer by Micrometer's
	 * default meter observation handler, as with Spring Boot's actuator.
	 * @return the last output value
	 * @throws OrtException when the run fails
	 */
	@Benchmark
	public float bindingObserved() throws OrtException {
		return runBinding(this.observedInference);
	}

	private float runBinding(OnnxInference inference) throws OrtException {
		try (OnnxBinding binding = inference.binding(MODEL, this.inputShapes)) {
			binding.input(this.input).asFloatBuffer().put(this.values);
			binding.run();
			FloatBuffer output = binding.output(binding.pinnedOutputs().iterator().next()).asFloatBuffer();
			return output.get(output.limit() - 1);
		}
	}

	// the usual way to read an output: a copy on the heap
	private static float last(Result result) {
		FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
		return output.get(output.limit() - 1);
	}

	private static long[] parse(String shape) {
		String[] parts = shape.split("x");
		long[] dims = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			dims[i] = Long.parseLong(parts[i]);
		}
		return dims;
	}

	private static long count(long[] dims) {
		long count = 1;
		for (long dim : dims) {
			count *= dim;
		}
		return count;
	}

	/**
	 * The values as the nested array a caller of {@code createTensor(env, Object)} holds.
	 * @param values the values
	 * @param dims four dimensions
	 * @return the nested array
	 */
	public static float[][][][] nest(float[] values, long[] dims) {
		int n = (int) dims[0];
		int c = (int) dims[1];
		int h = (int) dims[2];
		int w = (int) dims[3];
		float[][][][] nested = new float[n][c][h][w];
		int i = 0;
		for (int a = 0; a < n; a++) {
			for (int b = 0; b < c; b++) {
				for (int y = 0; y < h; y++) {
					System.arraycopy(values, i, nested[a][b][y], 0, w);
					i += w;
				}
			}
		}
		return nested;
	}

}
