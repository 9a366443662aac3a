package io.github.onnxgpu.benchmarks.trial;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.onnxgpu.benchmarks.Json;
import io.github.onnxgpu.benchmarks.jmh.ZeroCopyBenchmark;

/**
 * The heap bytes the calling thread allocates per call on each path of
 * {@link ZeroCopyBenchmark}, in a fresh JVM: the Java-side cost of the call itself, where
 * the GC profiler counts every thread of the JVM. Each path is warmed up first so that
 * the JIT has compiled it.
 * <p>
 * Arguments: model file, input name, shape such as {@code 1x3x80x80}, warm-up calls and
 * measured calls per path.
 */
public final class AllocationTrial {

	/** The kind of the report line. */
	public static final String KIND = "onnx-benchmark-allocation";

	/** The paths of {@link ZeroCopyBenchmark}, in order. */
	public static final String[] PATHS = { "heapArrays", "heapBuffer", "newDirectBuffer", "binding",
			"bindingObserved" };

	private AllocationTrial() {
	}

	public static void main(String[] args) throws Exception {
		ZeroCopyBenchmark benchmark = new ZeroCopyBenchmark();
		benchmark.modelFile = args[0];
		benchmark.input = args[1];
		benchmark.shape = args[2];
		int warmup = Integer.parseInt(args[3]);
		int measured = Integer.parseInt(args[4]);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long thread = Thread.currentThread().getId();
		Map<String, Double> bytesPerCall = new LinkedHashMap<>();
		double sink = 0;
		benchmark.start();
		try {
			for (String path : PATHS) {
				for (int i = 0; i < warmup; i++) {
					sink += call(benchmark, path);
				}
				long before = threads.getThreadAllocatedBytes(thread);
				for (int i = 0; i < measured; i++) {
					sink += call(benchmark, path);
				}
				bytesPerCall.put(path, (threads.getThreadAllocatedBytes(thread) - before) / (double) measured);
			}
		}
		finally {
			benchmark.stop();
		}
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("kind", KIND);
		report.put("shape", benchmark.shape);
		report.put("bytesPerCall", bytesPerCall);
		report.put("sink", sink);
		System.out.println(Json.line(report));
		System.out.flush();
		System.exit(0);
	}

	private static float call(ZeroCopyBenchmark benchmark, String path) throws Exception {
		return switch (path) {
			case "heapArrays" -> benchmark.heapArrays();
			case "heapBuffer" -> benchmark.heapBuffer();
			case "newDirectBuffer" -> benchmark.newDirectBuffer();
			case "binding" -> benchmark.binding();
			default -> benchmark.bindingObserved();
		};
	}

}
