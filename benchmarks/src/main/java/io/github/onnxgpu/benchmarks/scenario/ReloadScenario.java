package io.github.onnxgpu.benchmarks.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.report.TargetCheck;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelRegistry;
import io.github.onnxgpu.boot.model.ReloadAttempt;
import io.github.onnxgpu.boot.model.ReloadOutcome;

/**
 * Scenario 13: reloads of a model under steady load. Four caller threads run the detector
 * through {@link OnnxInference} while the model is reloaded again and again (created,
 * warmed, swapped): the requests that fail (target none), the p99 latency of requests
 * that overlap a swap against those that do not, and the resident memory after every 10
 * reloads, beside a hand-written loop that creates, runs and closes sessions the same way
 * under the same load, to tell ONNX Runtime's own growth from the starter's. Runs in the
 * suite's JVM, one application after the other.
 */
public final class ReloadScenario implements Scenario {

	static final String ID = "13";

	static final String TITLE = "Reloads under load";

	private static final int CALLERS = 4;

	private static final int EVERY = 10;

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		boolean quick = "quick".equals(context.profile().name());
		int reloads = quick ? 3 : 50;
		long steadyMillis = quick ? 300 : 10_000;
		long gapMillis = quick ? 20 : 200;
		String shape = context.profile().detectorWarmed().get(0);
		Path model = copy(context.detector().file(),
				context.workDirectory().resolve("reload").resolve("detector.onnx"));
		context.log("reloads: " + reloads + " reloads of the detector at " + shape + " under " + CALLERS + " callers");
		Run starter = starter(context, model, shape, reloads, steadyMillis, gapMillis);
		context.log("reloads: the same create, run and close by hand");
		Run byHand = byHand(model, shape, reloads, gapMillis);
		return List.of(result(context, reloads, shape, starter, byHand));
	}

	private static Run starter(ScenarioContext context, Path model, String shape, int reloads, long steadyMillis,
			long gapMillis) {
		try (ConfigurableApplicationContext application = new SpringApplicationBuilder(ReloadApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.main.log-startup-info=false",
					"logging.level.io.github.onnxgpu=WARN", "onnx.cuda.enabled=false",
					"onnx.native.cache.enabled=false", "onnx.models.detector.location=file:" + model,
					"onnx.models.detector.warmup.shapes[0].image=" + shape, "onnx.warmup.iterations=3")
			.run()) {
			OnnxInference inference = application.getBean(OnnxInference.class);
			OnnxModelRegistry registry = application.getBean(OnnxModelRegistry.class);
			Load load = new Load((image) -> inference.run("detector", Map.of("image", image)).close(), shape);
			load.start();
			try {
				sleep(steadyMillis);
				Run run = new Run(load);
				run.rss.put(0, rssMb());
				for (int i = 1; i <= reloads; i++) {
					long start = System.nanoTime();
					ReloadAttempt attempt = registry.reload("detector");
					run.windows.add(new long[] { start, System.nanoTime() });
					if (attempt.outcome() != ReloadOutcome.SWAPPED) {
						run.refused++;
						context.log("reloads: reload " + i + " " + attempt.outcome() + ": " + attempt.reason());
					}
					run.reloadMillis.add((System.nanoTime() - start) / 1e6);
					if (i % EVERY == 0 || i == reloads) {
						run.rss.put(i, rssMb());
					}
					sleep(gapMillis);
				}
				sleep(steadyMillis / 2);
				return run;
			}
			finally {
				load.stop();
			}
		}
	}

	// what an application without the starter would do: a new session, one run, then the
	// old one closed, with callers on the sessions in turn
	private static Run byHand(Path model, String shape, int reloads, long gapMillis) {
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setIntraOpNumThreads(1);
			OrtSession[] serving = { environment.createSession(model.toString(), options) };
			Object lock = new Object();
			Load load = new Load((image) -> {
				// a lock around each run: the simplest safe swap by hand
				synchronized (lock) {
					serving[0].run(Map.of("image", image)).close();
				}
			}, shape);
			load.start();
			Run run = new Run(load);
			try {
				run.rss.put(0, rssMb());
				for (int i = 1; i <= reloads; i++) {
					long start = System.nanoTime();
					OrtSession next = environment.createSession(model.toString(), options);
					try (OnnxTensor image = Load.image(shape)) {
						next.run(Map.of("image", image)).close();
					}
					OrtSession old;
					synchronized (lock) {
						old = serving[0];
						serving[0] = next;
					}
					old.close();
					run.windows.add(new long[] { start, System.nanoTime() });
					run.reloadMillis.add((System.nanoTime() - start) / 1e6);
					if (i % EVERY == 0 || i == reloads) {
						run.rss.put(i, rssMb());
					}
					sleep(gapMillis);
				}
			}
			finally {
				load.stop();
				serving[0].close();
			}
			return run;
		}
		catch (OrtException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ScenarioResult result(ScenarioContext context, int reloads, String shape, Run starter, Run byHand) {
		Table.Builder requests = Table.builder(
				"Requests of " + CALLERS + " callers at " + shape + " during " + reloads + " reloads (ms)", "Setup",
				"Requests", "Failed", "p50 outside swaps", "p99 outside swaps", "p99 during swaps", "Reload median ms");
		requests.row("starter (OnnxInference, OnnxModelRegistry.reload)", String.valueOf(starter.load.count()),
				String.valueOf(starter.load.failed.get()), format(starter.percentile(0.50, false)),
				format(starter.percentile(0.99, false)), format(starter.percentile(0.99, true)),
				format(median(starter.reloadMillis)));
		requests.row("by hand (lock around runs, create/run/close)", String.valueOf(byHand.load.count()),
				String.valueOf(byHand.load.failed.get()), format(byHand.percentile(0.50, false)),
				format(byHand.percentile(0.99, false)), format(byHand.percentile(0.99, true)),
				format(median(byHand.reloadMillis)));
		Table.Builder memory = Table.builder("Resident memory (VmRSS, MB) after N reloads", "Setup", "Reloads",
				"RSS MB");
		starter.rss.forEach((count, mb) -> memory.row("starter", String.valueOf(count), format(mb)));
		byHand.rss.forEach((count, mb) -> memory.row("by hand", String.valueOf(count), format(mb)));
		double starterGrowth = growth(starter);
		double handGrowth = growth(byHand);
		List<TargetCheck> targets = List.of(
				new TargetCheck("failed requests during reloads", "0",
						starter.load.failed.get() + " (and " + starter.refused + " reloads refused)",
						starter.load.failed.get() == 0 && starter.refused == 0),
				new TargetCheck("RSS growth from the first " + EVERY + " reloads to the last", "flat within noise",
						String.format(Locale.ROOT, "%+.1f MB (by hand: %+.1f MB)", starterGrowth, handGrowth),
						starterGrowth <= Math.max(handGrowth, 0) + 16));
		return ScenarioResult.completed(ID, TITLE,
				"Requests that fail, the latency of requests that overlap a swap, and resident memory, while a "
						+ "model is reloaded again and again under steady load; against the same sessions created, "
						+ "run and closed by hand.",
				List.of(requests.build(), memory.build()), targets,
				List.of("A request is 'during swaps' when it overlaps a reload, from the start of the new version's "
						+ "creation to the swap: on a 2-core machine the creation and warmup of the new version take "
						+ "CPU from the callers, so that p99 mostly shows the cost of building a version beside the "
						+ "one serving.",
						"The by-hand loop warms the new session with one run and holds a lock "
								+ "around every run, so that the close never meets a run; the starter's swap takes no lock "
								+ "that runs wait on.",
						"RSS is read from /proc/self/status of the suite's JVM, which also holds the Java heap: "
								+ "compare growth, not levels."),
				Map.of("starter", starter.data(), "byHand", byHand.data()));
	}

	// from the first reading after EVERY reloads (allocators settled) to the last
	private static double growth(Run run) {
		List<Double> values = new ArrayList<>(run.rss.values());
		if (values.size() < 3) {
			return values.get(values.size() - 1) - values.get(0);
		}
		return values.get(values.size() - 1) - values.get(1);
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return (sorted.length == 0) ? Double.NaN : sorted[sorted.length / 2];
	}

	static double rssMb() {
		System.gc();
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return Double.NaN;
	}

	private static Path copy(Path from, Path to) {
		try {
			Files.createDirectories(to.getParent());
			return Files.copy(from, to);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One run of a request.
	 */
	@FunctionalInterface
	interface Request {

		void run(OnnxTensor image) throws Exception;

	}

	/**
	 * Callers running requests until stopped, each request's start and end kept.
	 */
	static final class Load {

		private final Request request;

		private final String shape;

		private final AtomicBoolean stop = new AtomicBoolean();

		private final AtomicLong failed = new AtomicLong();

		private final List<Thread> threads = new ArrayList<>();

		private final List<List<long[]>> timings = new ArrayList<>();

		private volatile String firstFailure;

		Load(Request request, String shape) {
			this.request = request;
			this.shape = shape;
		}

		void start() {
			for (int i = 0; i < CALLERS; i++) {
				List<long[]> own = new ArrayList<>();
				this.timings.add(own);
				Thread thread = new Thread(() -> call(own), "reload-caller-" + i);
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		private void call(List<long[]> own) {
			try (OnnxTensor image = image(this.shape)) {
				while (!this.stop.get()) {
					long start = System.nanoTime();
					try {
						this.request.run(image);
						own.add(new long[] { start, System.nanoTime() });
					}
					catch (Exception ex) {
						this.failed.incrementAndGet();
						if (this.firstFailure == null) {
							this.firstFailure = String.valueOf(ex);
						}
					}
				}
			}
			catch (OrtException ex) {
				throw new IllegalStateException(ex);
			}
		}

		void stop() {
			this.stop.set(true);
			for (Thread thread : this.threads) {
				try {
					thread.join(30_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		long count() {
			return this.timings.stream().mapToLong(List::size).sum();
		}

		static OnnxTensor image(String shape) throws OrtException {
			long[] dims = Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray();
			return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
					FloatBuffer.allocate((int) Arrays.stream(dims).reduce(1, Math::multiplyExact)), dims);
		}

	}

	/**
	 * What one setup measured.
	 */
	static final class Run {

		final Load load;

		final List<long[]> windows = new ArrayList<>();

		final List<Double> reloadMillis = new ArrayList<>();

		final Map<Integer, Double> rss = new LinkedHashMap<>();

		int refused;

		Run(Load load) {
			this.load = load;
		}

		double percentile(double quantile, boolean duringSwaps) {
			double[] latencies = this.load.timings.stream()
				.flatMap(List::stream)
				.filter((timing) -> overlapsSwap(timing) == duringSwaps)
				.mapToDouble((timing) -> (timing[1] - timing[0]) / 1e6)
				.sorted()
				.toArray();
			if (latencies.length == 0) {
				return Double.NaN;
			}
			return latencies[Math.min(latencies.length - 1, (int) Math.ceil(quantile * latencies.length) - 1)];
		}

		private boolean overlapsSwap(long[] timing) {
			for (long[] window : this.windows) {
				if (timing[0] <= window[1] && timing[1] >= window[0]) {
					return true;
				}
			}
			return false;
		}

		Map<String, Object> data() {
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("requests", this.load.count());
			data.put("failed", this.load.failed.get());
			data.put("firstFailure", this.load.firstFailure);
			data.put("refusedReloads", this.refused);
			data.put("p50OutsideMs", percentile(0.50, false));
			data.put("p99OutsideMs", percentile(0.99, false));
			data.put("p99DuringMs", percentile(0.99, true));
			data.put("reloadMillis", this.reloadMillis);
			data.put("rssMbAfterReloads", this.rss);
			return data;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ReloadApplication {

	}

}
