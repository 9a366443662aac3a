package io.github.onnxgpu.benchmarks.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.Json;
import io.github.onnxgpu.benchmarks.jmh.ZeroCopyBenchmark;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Summary;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.report.TargetCheck;
import io.github.onnxgpu.benchmarks.trial.AllocationTrial;
import io.github.onnxgpu.benchmarks.trial.SoakTrial;

/**
 * Scenarios 7 and 8: what an {@code OnnxBinding} saves. 7 measures, with JMH and its GC
 * profiler, the heap bytes each call allocates and its latency for four ways to feed a
 * FLOAT input (nested arrays, a heap buffer, a new direct buffer, a binding) on the
 * detector at a shape of about 1 ms and one of about 10 ms, in rounds of rotating order
 * as scenario 3 does. 8 runs the nested-array way and the binding many times in fresh
 * JVMs with {@code -Xmx512m} and follows their resident memory.
 */
public final class ZeroCopyScenario implements Scenario {

	/** The most a binding run may allocate on the heap, in bytes. */
	static final double TARGET_BYTES = 1024;

	private static final Map<String, String> PATHS = paths();

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		boolean quick = "quick".equals(context.profile().name());
		List<ScenarioResult> results = new ArrayList<>();
		results.add(jmh(context, quick));
		results.add(soak(context, quick));
		return results;
	}

	private ScenarioResult jmh(ScenarioContext context, boolean quick) {
		BenchmarkModel detector = context.detector();
		List<String> shapes = quick ? List.of("1x3x32x32") : List.of("1x3x80x80", "1x3x256x256");
		int rounds = quick ? 1 : 3;
		// long warmups: until the JIT compiles the call path, allocations it would remove
		// (iterators, lambdas) are counted
		int warmups = quick ? 1 : 6;
		int measurements = quick ? 1 : 5;
		TimeValue iterationTime = TimeValue.milliseconds(quick ? 200 : 1000);
		Table.Builder table = Table.builder(
				"JMH sample time and GC profiler per call, detector on the CPU; " + rounds
						+ " round(s), each path per round 1 fork x " + measurements + " x " + iterationTime
						+ " measured after " + warmups + " warmup iterations; median (min–max) over rounds",
				"Shape", "Path", "p50 µs", "heap bytes per call, whole JVM (GC profiler)",
				"heap bytes per call, calling thread", "p50 over the best of (a)–(c)");
		List<TargetCheck> targets = new ArrayList<>();
		List<Map<String, Object>> data = new ArrayList<>();
		for (String shape : shapes) {
			List<Map<String, double[]>> byRound = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				List<String> order = new ArrayList<>(PATHS.keySet());
				Collections.rotate(order, -round);
				Map<String, double[]> measured = new LinkedHashMap<>();
				for (String path : order) {
					context.log(
							"zero-copy (JMH, GC profiler): " + path + ", detector " + shape + ", round " + (round + 1));
					measured.put(path,
							runJmh(context, detector, shape, path, round, warmups, measurements, iterationTime));
				}
				byRound.add(measured);
				for (Map.Entry<String, double[]> path : measured.entrySet()) {
					Map<String, Object> row = new LinkedHashMap<>();
					row.put("shape", shape);
					row.put("round", round + 1);
					row.put("benchmark", path.getKey());
					row.put("p50Us", path.getValue()[0]);
					row.put("meanUs", path.getValue()[1]);
					row.put("allocBytesPerOp", path.getValue()[2]);
					data.add(row);
				}
			}
			Map<String, Double> threadBytes = threadBytes(context, detector, shape, quick);
			for (String path : PATHS.keySet()) {
				Summary p50 = Summary.of(byRound.stream().map((round) -> round.get(path)[0]).toList());
				Summary bytes = Summary.of(byRound.stream().map((round) -> round.get(path)[2]).toList());
				Summary ratio = Summary
					.of(byRound.stream().map((round) -> round.get(path)[0] / bestOfOthers(round)).toList());
				boolean binding = path.startsWith("binding");
				double ownBytes = threadBytes.get(path);
				table.row(shape, PATHS.get(path), p50.format(1), bytes.format(0),
						String.format(Locale.ROOT, "%.0f", ownBytes), binding ? ratio.format(3) : "–");
				data.add(Map.of("shape", shape, "benchmark", path, "callingThreadBytesPerCall", ownBytes));
				if (path.equals("binding")) {
					targets.add(new TargetCheck("OnnxBinding heap bytes per call (calling thread), detector " + shape,
							"<= " + (int) TARGET_BYTES + " B", String.format(Locale.ROOT, "%.0f B", ownBytes),
							ownBytes <= TARGET_BYTES));
					targets.add(new TargetCheck("OnnxBinding p50 against the best of (a)–(c), detector " + shape,
							"<= 1.00", String.format(Locale.ROOT, "%.3f", ratio.median()), ratio.median() <= 1.0));
				}
			}
		}
		return ScenarioResult.completed("7", "Zero-copy runs: allocation and latency per call",
				"Heap bytes allocated per call (JMH GC profiler, gc.alloc.rate.norm) and latency of one request's "
						+ "work (input into a tensor, run, last output value read) on the detector, four ways: "
						+ "(a) OnnxTensor.createTensor(env, float[][][][]) and OrtSession.run, (b) a heap FloatBuffer, "
						+ "(c) a new direct buffer per call, (d) an OnnxBinding borrowed and given back per call, "
						+ "not observed like (a)–(c), and again with every run observed into the onnx.inference "
						+ "timer.",
				List.of(table.build()), targets,
				List.of("The GC profiler counts what every thread of the JVM allocates during the iterations, "
						+ "divided by the calls; on a loaded machine, background allocation by other threads "
						+ "weighs more per call. The calling thread's bytes come from ThreadMXBean in a fresh JVM "
						+ "after each path was warmed up (5,000 calls at 1x3x80x80, 200 at 1x3x256x256): the "
						+ "Java-side cost of the call itself, the figure the 1 KB target is checked on.",
						"(a)–(c) read the output with OnnxTensor.getFloatBuffer() (a heap copy), as ONNX Runtime's "
								+ "Java API offers; (d) reads its pinned output buffer in place.",
						"Direct buffers live off the heap: the GC profiler counts their small Java objects only. "
								+ "Scenario 8 shows what they cost the process.",
						"The onnx.inference observation costs what Micrometer's Observation and its default meter "
								+ "handler allocate (context, timer sample, tags), the same on OnnxInference.run."),
				data);
	}

	private static Map<String, Double> threadBytes(ScenarioContext context, BenchmarkModel detector, String shape,
			boolean quick) {
		context.log("zero-copy allocation per call (calling thread): detector " + shape);
		// seconds of warm-up per path, so that the JIT has compiled it; the large shape
		// runs fewer calls to stay within the trial timeout on a loaded machine
		int warmup = quick ? 50 : shape.equals("1x3x80x80") ? 5000 : 200;
		int measured = quick ? 20 : shape.equals("1x3x80x80") ? 2000 : 100;
		String line = context.launcher()
			.run(AllocationTrial.class, List.of("-Xms256m", "-Xmx1g"),
					List.of(detector.file().toAbsolutePath().toString(), detector.input(), shape,
							Integer.toString(warmup), Integer.toString(measured)),
					AllocationTrial.KIND);
		@SuppressWarnings("unchecked")
		Map<String, Number> bytes = (Map<String, Number>) Json.read(line, Map.class).get("bytesPerCall");
		Map<String, Double> result = new LinkedHashMap<>();
		bytes.forEach((path, value) -> result.put(path, value.doubleValue()));
		return result;
	}

	private static double bestOfOthers(Map<String, double[]> round) {
		return round.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().startsWith("binding"))
			.mapToDouble((entry) -> entry.getValue()[0])
			.min()
			.orElseThrow();
	}

	private ScenarioResult soak(ScenarioContext context, boolean quick) {
		BenchmarkModel detector = context.detector();
		String shape = quick ? "1x3x32x32" : "1x3x80x80";
		int runs = quick ? 400 : 20_000;
		int every = quick ? 40 : 2_000;
		int skip = quick ? 80 : 4_000;
		Table.Builder table = Table.builder(
				"Resident memory (VmRSS, MB) of a fresh JVM with -Xmx512m, detector " + shape + " on the CPU, " + runs
						+ " runs",
				"Path", "start MB", "after " + skip + " runs MB", "end MB",
				"slope after " + skip + " runs, MB per 1000 runs");
		List<TargetCheck> targets = new ArrayList<>();
		List<Map<String, Object>> data = new ArrayList<>();
		for (String path : List.of("heapArrays", "binding")) {
			context.log("zero-copy soak: " + path + ", detector " + shape + ", " + runs + " runs, -Xmx512m");
			String line = context.launcher()
				.run(SoakTrial.class, List.of("-Xmx512m"), List.of(detector.file().toAbsolutePath().toString(),
						detector.input(), shape, path, Integer.toString(runs), Integer.toString(every)),
						SoakTrial.KIND);
			@SuppressWarnings("unchecked")
			Map<String, Object> report = Json.read(line, Map.class);
			List<Number> at = (List<Number>) report.get("runs");
			List<Number> rss = (List<Number>) report.get("rssMb");
			double slope = slopePerThousand(at, rss, skip);
			double afterSkip = rss.get(indexOf(at, skip)).doubleValue();
			table.row(PATHS.get(path), format(rss.get(0).doubleValue()), format(afterSkip),
					format(rss.get(rss.size() - 1).doubleValue()), String.format(Locale.ROOT, "%+.2f", slope));
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("path", path);
			row.put("runs", at);
			row.put("rssMb", rss);
			row.put("slopeMbPer1000Runs", slope);
			data.add(row);
			if (path.equals("binding")) {
				targets.add(new TargetCheck("OnnxBinding resident memory slope after " + skip + " runs",
						"flat: |slope| <= 1 MB per 1000 runs", String.format(Locale.ROOT, "%+.2f MB", slope),
						Math.abs(slope) <= 1.0));
			}
		}
		return ScenarioResult.completed("8", "Zero-copy runs: resident memory over a soak",
				"The process's resident memory while the same request runs " + runs + " times in a fresh JVM "
						+ "with -Xmx512m: (a) a new tensor from nested arrays per run (ONNX Runtime copies it into a "
						+ "new direct buffer, freed only when the garbage collector gets to it) against (d) an "
						+ "OnnxBinding. The slope is a least-squares fit over the samples after the first " + skip
						+ " runs.",
				List.of(table.build()), targets, List.of(), data);
	}

	static double slopePerThousand(List<Number> at, List<Number> rss, int skip) {
		List<double[]> points = new ArrayList<>();
		for (int i = 0; i < at.size(); i++) {
			if (at.get(i).intValue() >= skip) {
				points.add(new double[] { at.get(i).doubleValue(), rss.get(i).doubleValue() });
			}
		}
		double meanX = points.stream().mapToDouble((point) -> point[0]).average().orElse(0);
		double meanY = points.stream().mapToDouble((point) -> point[1]).average().orElse(0);
		double covariance = 0;
		double variance = 0;
		for (double[] point : points) {
			covariance += (point[0] - meanX) * (point[1] - meanY);
			variance += (point[0] - meanX) * (point[0] - meanX);
		}
		return (variance > 0) ? covariance / variance * 1000 : 0;
	}

	private static int indexOf(List<Number> at, int runs) {
		for (int i = 0; i < at.size(); i++) {
			if (at.get(i).intValue() >= runs) {
				return i;
			}
		}
		return at.size() - 1;
	}

	private static String format(double megabytes) {
		return String.format(Locale.ROOT, "%.0f", megabytes);
	}

	private static Map<String, String> paths() {
		Map<String, String> paths = new LinkedHashMap<>();
		paths.put("heapArrays", "(a) createTensor(env, float[][][][]) + OrtSession.run");
		paths.put("heapBuffer", "(b) createTensor(env, heap FloatBuffer) + OrtSession.run");
		paths.put("newDirectBuffer", "(c) new direct FloatBuffer per call + OrtSession.run");
		paths.put("binding", "(d) OnnxBinding (borrow, put, run, read pinned output, close)");
		paths.put("bindingObserved", "(d) with the onnx.inference timer (Micrometer observation)");
		return paths;
	}

	private static double[] runJmh(ScenarioContext context, BenchmarkModel detector, String shape, String path,
			int round, int warmups, int measurements, TimeValue iterationTime) {
		String log = "jmh-zero-copy-" + shape + "-" + (round + 1) + "-" + path + ".log";
		Options options = new OptionsBuilder()
			.include(Pattern.quote(ZeroCopyBenchmark.class.getName() + "." + path) + "$")
			.param("modelFile", detector.file().toAbsolutePath().toString())
			.param("input", detector.input())
			.param("shape", shape)
			.forks(1)
			.warmupIterations(warmups)
			.warmupTime(iterationTime)
			.measurementIterations(measurements)
			.measurementTime(iterationTime)
			.addProfiler(GCProfiler.class)
			.jvmArgs("-Xms256m", "-Xmx1g")
			.shouldFailOnError(true)
			.output(context.workDirectory().resolve(log).toString())
			.build();
		Collection<RunResult> results = JmhRuns.run(options, log);
		RunResult result = results.stream()
			.filter((candidate) -> candidate.getParams().getBenchmark().endsWith("." + path))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("JMH reported no result for " + path));
		double bytes = result.getSecondaryResults()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().endsWith("gc.alloc.rate.norm"))
			.map(Map.Entry::getValue)
			.mapToDouble(Result::getScore)
			.findFirst()
			.orElse(Double.NaN);
		return new double[] { result.getPrimaryResult().getStatistics().getPercentile(50),
				result.getPrimaryResult().getStatistics().getMean(), bytes };
	}

}
