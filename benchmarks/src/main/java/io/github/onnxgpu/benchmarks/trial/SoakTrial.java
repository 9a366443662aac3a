package io.github.onnxgpu.benchmarks.trial;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.onnxgpu.benchmarks.Json;
import io.github.onnxgpu.benchmarks.jmh.ZeroCopyBenchmark;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxBinding;
import io.github.onnxgpu.boot.model.OnnxInference;

/**
 * A soak in a fresh JVM: the same request many times through the starter, either with a
 * new tensor from nested arrays per run ({@code heapArrays}, path (a) of
 * {@link ZeroCopyBenchmark}) or through an {@link OnnxBinding} ({@code binding}, path
 * (d)), printing the process's resident memory (VmRSS) at regular intervals.
 * <p>
 * Arguments: model file, input name, shape such as {@code 1x3x80x80}, path, runs, runs
 * between samples.
 */
public final class SoakTrial {

	/** The kind of the report line. */
	public static final String KIND = "onnx-benchmark-soak";

	private SoakTrial() {
	}

	public static void main(String[] args) throws Exception {
		String input = args[1];
		String shape = args[2];
		String path = args[3];
		int runs = Integer.parseInt(args[4]);
		int every = Integer.parseInt(args[5]);
		TrialSpec spec = new TrialSpec(
				List.of(new TrialSpec.ModelSpec(ZeroCopyBenchmark.MODEL, args[0], List.of(Map.of(input, shape)))),
				new TrialSpec.WarmupSpec(true, 3, 1), ProviderSpec.cpu(), List.of(), 0, 0, 0, 0, Map.of());
		SpringApplication application = new SpringApplication(StarterTrialApplication.class);
		application.setDefaultProperties(StarterProperties.of(spec));
		List<Integer> at = new ArrayList<>();
		List<Double> rssMb = new ArrayList<>();
		double sink = 0;
		try (ConfigurableApplicationContext context = application.run()) {
			OrtEnvironment environment = context.getBean(OrtEnvironment.class);
			OrtSession session = context.getBean(ManagedModelRegistry.class).get(ZeroCopyBenchmark.MODEL).session();
			OnnxInference inference = context.getBean(OnnxInference.class);
			long[] dims = dims(shape);
			float[] values = new float[(int) (dims[0] * dims[1] * dims[2] * dims[3])];
			Random random = new Random(7);
			for (int i = 0; i < values.length; i++) {
				values[i] = random.nextFloat();
			}
			float[][][][] nested = ZeroCopyBenchmark.nest(values, dims);
			Map<String, long[]> shapes = Map.of(input, dims);
			at.add(0);
			rssMb.add(rssMb());
			for (int run = 1; run <= runs; run++) {
				if (path.equals("binding")) {
					try (OnnxBinding binding = inference.binding(ZeroCopyBenchmark.MODEL, shapes)) {
						binding.input(input).asFloatBuffer().put(values);
						binding.run();
						FloatBuffer output = binding.output(binding.pinnedOutputs().iterator().next()).asFloatBuffer();
						sink += output.get(output.limit() - 1);
					}
				}
				else {
					try (OnnxTensor tensor = OnnxTensor.createTensor(environment, nested);
							Result result = session.run(Map.of(input, tensor))) {
						FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
						sink += output.get(output.limit() - 1);
					}
				}
				if (run % every == 0) {
					at.add(run);
					rssMb.add(rssMb());
				}
			}
		}
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("kind", KIND);
		report.put("path", path);
		report.put("runs", at);
		report.put("rssMb", rssMb);
		report.put("sink", sink);
		System.out.println(Json.line(report));
		System.out.flush();
		System.exit(0);
	}

	private static long[] dims(String shape) {
		String[] parts = shape.split("x");
		long[] dims = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			dims[i] = Long.parseLong(parts[i]);
		}
		return dims;
	}

	private static double rssMb() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
			}
		}
		return Double.NaN;
	}

}
