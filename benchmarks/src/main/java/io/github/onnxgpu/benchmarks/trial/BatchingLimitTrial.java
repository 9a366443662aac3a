package io.github.onnxgpu.benchmarks.trial;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.onnxgpu.benchmarks.LoadModel;
import io.github.onnxgpu.benchmarks.trial.LoadReport.LoadPoint;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.testmodels.TestModels;

/**
 * Batching against its limit, in one JVM and one run: the same model served by the
 * starter unbatched ({@code u}), batched with the defaults ({@code b}) and batched with
 * {@code max-delay: 2ms} ({@code d}), each loaded by the same closed loop of concurrent
 * callers of {@link OnnxInference#run}, each with its own input; and the limit, plain
 * ONNX Runtime batching by hand: one one-thread session per core, each running a stacked
 * batch of {@code max-batch-size} (16) in a loop, no queue, no callers. The variants
 * alternate round after round, so that the machine's load falls on all of them alike.
 * <p>
 * Usage: {@code BatchingLimitTrial <speech|small> <rounds> <warmup-ms> <measured-ms>
 * <callers> [results.md]}: {@code speech} is {@link TestModels#speechModel()} (an LSTM
 * whose state carries the batch in dimension 1, about 0.1 ms a run), {@code small} the
 * load scenario's 1 ms model.
 */
public final class BatchingLimitTrial {

	private static final int BATCH = 16;

	private BatchingLimitTrial() {
	}

	/**
	 * Run the comparison.
	 * @param args model, rounds, warm-up and measured milliseconds, callers, and an
	 * optional file to append the markdown table to
	 * @throws Exception when a run fails
	 */
	public static void main(String[] args) throws Exception {
		String modelName = args[0];
		int rounds = Integer.parseInt(args[1]);
		Duration warmup = Duration.ofMillis(Long.parseLong(args[2]));
		Duration measured = Duration.ofMillis(Long.parseLong(args[3]));
		int callers = Integer.parseInt(args[4]);
		Path work = Files.createTempDirectory("batching-limit");
		Sample sample = sample(modelName, work);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.web-application-type", "none");
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "warn");
		properties.put("onnx.cuda.enabled", "false");
		for (String variant : List.of("u", "b", "d")) {
			String prefix = "onnx.models." + variant + ".";
			properties.put(prefix + "location", sample.file.toUri().toString());
			sample.warmupShapes.forEach((input, shape) -> properties.put(prefix + "warmup.shapes[0]." + input, shape));
			if (!variant.equals("u")) {
				properties.put(prefix + "batching.enabled", "true");
				sample.dimensions
					.forEach((name, dimension) -> properties.put(prefix + "batching.dimensions." + name, dimension));
			}
			if (variant.equals("d")) {
				properties.put(prefix + "batching.max-delay", "2ms");
			}
		}
		SpringApplication application = new SpringApplication(LoadTrialApplication.class);
		application.setDefaultProperties(properties);
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		List<Map<String, OnnxTensor>> inputs = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			inputs.add(sample.tensors(environment, 1, i));
		}
		Map<String, List<LoadPoint>> points = new LinkedHashMap<>();
		String loadBefore = uptime();
		try (ConfigurableApplicationContext context = application.run()) {
			OnnxInference inference = context.getBean(OnnxInference.class);
			ManagedModelRegistry registry = context.getBean(ManagedModelRegistry.class);
			for (int round = 0; round < rounds; round++) {
				for (String variant : List.of("u", "b", "d", "limit")) {
					LoadPoint point;
					if (variant.equals("limit")) {
						point = limit(environment, sample, warmup, measured);
					}
					else {
						LoadGenerator generator = new LoadGenerator((input) -> {
							try (Result result = inference.run(variant, inputs.get(input))) {
								// closed by the caller, as an application does
							}
						}, callers);
						point = generator.closed(callers, warmup, measured);
					}
					points.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(point);
					System.out.printf(Locale.ROOT, "[limit] round %d %s: %.0f/s p50 %.3f p99 %.3f ms failed %d %s%n",
							round, variant, point.throughput(), point.p50Ms(), point.p99Ms(), point.failed(),
							(point.firstError() != null) ? point.firstError() : "");
				}
			}
			for (String variant : List.of("b", "d")) {
				System.out.println("[limit] " + variant + " " + registry.get(variant).batcher().stats());
			}
		}
		String loadAfter = uptime();
		String table = table(modelName, sample, callers, warmup, measured, points, loadBefore, loadAfter);
		System.out.println(table);
		if (args.length > 5) {
			Files.writeString(Path.of(args[5]), table + "\n", java.nio.file.StandardOpenOption.CREATE,
					java.nio.file.StandardOpenOption.APPEND);
		}
		System.exit(0);
	}

	// one one-thread session per core, each running a stacked batch in a loop: samples
	// per second
	private static LoadPoint limit(OrtEnvironment environment, Sample sample, Duration warmup, Duration measured)
			throws Exception {
		int cores = Runtime.getRuntime().availableProcessors();
		List<OrtSession> sessions = new ArrayList<>();
		List<Map<String, OnnxTensor>> batches = new ArrayList<>();
		try {
			for (int i = 0; i < cores; i++) {
				try (SessionOptions options = new SessionOptions()) {
					options.setIntraOpNumThreads(1);
					options.setInterOpNumThreads(1);
					sessions.add(environment.createSession(sample.file.toString(), options));
				}
				batches.add(sample.tensors(environment, BATCH, i));
			}
			LongAdder samples = new LongAdder();
			AtomicBoolean measuring = new AtomicBoolean();
			long start = System.nanoTime();
			long from = start + warmup.toNanos();
			long end = from + measured.toNanos();
			List<Thread> threads = new ArrayList<>();
			List<long[]> latencies = new ArrayList<>();
			for (int i = 0; i < cores; i++) {
				OrtSession session = sessions.get(i);
				Map<String, OnnxTensor> batch = batches.get(i);
				long[] times = new long[1 << 20];
				latencies.add(times);
				int index = i;
				Thread thread = new Thread(() -> {
					int count = 0;
					long now;
					while ((now = System.nanoTime()) < end) {
						try (Result result = session.run(batch)) {
							// the stacked batch's outputs, as a batcher would split them
						}
						catch (Exception ex) {
							throw new IllegalStateException(ex);
						}
						long done = System.nanoTime();
						if (now >= from) {
							samples.add(BATCH);
							if (count < times.length) {
								times[count++] = done - now;
							}
						}
					}
					latencies.set(index, java.util.Arrays.copyOf(times, count));
				}, "limit-" + i);
				threads.add(thread);
				thread.start();
			}
			for (Thread thread : threads) {
				thread.join();
			}
			measuring.set(false);
			long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
			double seconds = measured.toNanos() / 1e9;
			return new LoadPoint(LoadPoint.CLOSED, cores, 0, 0, samples.sum(), 0, 0, 0, seconds,
					samples.sum() / seconds, LoadGenerator.Recorder.percentile(all, 0.5),
					LoadGenerator.Recorder.percentile(all, 0.95), LoadGenerator.Recorder.percentile(all, 0.99),
					(all.length > 0) ? all[all.length - 1] / 1e6 : 0, 0, null);
		}
		finally {
			for (Map<String, OnnxTensor> batch : batches) {
				batch.values().forEach(OnnxTensor::close);
			}
			for (OrtSession session : sessions) {
				session.close();
			}
		}
	}

	private static String table(String model, Sample sample, int callers, Duration warmup, Duration measured,
			Map<String, List<LoadPoint>> points, String loadBefore, String loadAfter) {
		StringBuilder text = new StringBuilder();
		text.append("\n### ")
			.append(model)
			.append(": ")
			.append(sample.description)
			.append(", ")
			.append(callers)
			.append(" callers, ")
			.append(points.get("u").size())
			.append(" alternating rounds of ")
			.append(warmup.toMillis())
			.append(" ms warm-up + ")
			.append(measured.toMillis())
			.append(" ms\n\nLoad average before ")
			.append(loadBefore)
			.append(", after ")
			.append(loadAfter)
			.append(" (")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores).\n\n| round | unbatched /s (p99 ms) | batched /s (p99 ms) | max-delay 2ms /s (p99 ms) "
					+ "| limit samples/s | batched / unbatched | batched / limit | 2ms / unbatched |\n")
			.append("|---|---|---|---|---|---|---|---|\n");
		double[] sums = new double[4];
		for (int round = 0; round < points.get("u").size(); round++) {
			LoadPoint u = points.get("u").get(round);
			LoadPoint b = points.get("b").get(round);
			LoadPoint d = points.get("d").get(round);
			LoadPoint limit = points.get("limit").get(round);
			sums[0] += u.throughput();
			sums[1] += b.throughput();
			sums[2] += d.throughput();
			sums[3] += limit.throughput();
			text.append(String.format(Locale.ROOT,
					"| %d | %.0f (%.2f) | %.0f (%.2f) | %.0f (%.2f) | %.0f | x%.2f | %.2f | x%.2f |%n", round + 1,
					u.throughput(), u.p99Ms(), b.throughput(), b.p99Ms(), d.throughput(), d.p99Ms(), limit.throughput(),
					b.throughput() / u.throughput(), b.throughput() / limit.throughput(),
					d.throughput() / u.throughput()));
		}
		text.append(String.format(Locale.ROOT, "| all | %.0f | %.0f | %.0f | %.0f | x%.2f | %.2f | x%.2f |%n",
				sums[0] / points.get("u").size(), sums[1] / points.get("u").size(), sums[2] / points.get("u").size(),
				sums[3] / points.get("u").size(), sums[1] / sums[0], sums[1] / sums[3], sums[2] / sums[0]));
		return text.toString();
	}

	private static String uptime() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (Exception ex) {
			return "unknown";
		}
	}

	private static Sample sample(String name, Path work) throws Exception {
		if (name.equals("speech")) {
			Path file = work.resolve("speech.onnx");
			Files.write(file, TestModels.speechModel());
			Map<String, long[]> shapes = new LinkedHashMap<>();
			shapes.put("input", new long[] { -1, TestModels.SPEECH_CHUNK });
			shapes.put("state", new long[] { 2, -1, TestModels.SPEECH_HIDDEN });
			Map<String, Integer> dims = new LinkedHashMap<>();
			dims.put("state", 1);
			dims.put("stateN", 1);
			return new Sample(file, shapes, dims,
					Map.of("input", "1x" + TestModels.SPEECH_CHUNK, "state", "2x1x" + TestModels.SPEECH_HIDDEN),
					"LSTM speech model, state [2, N, 128]");
		}
		LoadModel model = LoadModel.named(name);
		Path file = model.write(work);
		return new Sample(file, Map.of(LoadModel.INPUT, new long[] { -1, model.features() }), Map.of(),
				Map.of(LoadModel.INPUT, model.sampleShape()), model.description());
	}

	private record Sample(Path file, Map<String, long[]> shapes, Map<String, Integer> dimensions,
			Map<String, String> warmupShapes, String description) {

		// inputs at a batch count, values seeded by the caller's index
		Map<String, OnnxTensor> tensors(OrtEnvironment environment, int count, int seed) throws Exception {
			Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
			Random random = new Random(31L * seed + 7);
			for (Map.Entry<String, long[]> input : this.shapes.entrySet()) {
				long[] shape = input.getValue().clone();
				long size = 1;
				for (int d = 0; d < shape.length; d++) {
					if (shape[d] < 0) {
						shape[d] = count;
					}
					size *= shape[d];
				}
				float[] values = new float[(int) size];
				for (int i = 0; i < values.length; i++) {
					values[i] = random.nextFloat() - 0.5f;
				}
				tensors.put(input.getKey(), OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), shape));
			}
			return tensors;
		}

	}

}
