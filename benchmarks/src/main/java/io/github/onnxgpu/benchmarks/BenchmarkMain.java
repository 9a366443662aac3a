package io.github.onnxgpu.benchmarks;

import java.nio.file.Path;

import io.github.onnxgpu.benchmarks.report.ScenarioResult;

/**
 * Runs the benchmark suite:
 * {@code java -jar benchmarks/target/benchmarks.jar [--quick] [--gpu]}.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	/**
	 * Run the suite.
	 * @param args see {@link BenchmarkOptions#USAGE}
	 */
	public static void main(String[] args) {
		BenchmarkOptions options;
		try {
			options = BenchmarkOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		BenchmarkSuite.Outcome outcome = new BenchmarkSuite(options, System.out).run();
		for (Path file : outcome.files()) {
			System.out.println("[benchmarks] wrote " + file.toAbsolutePath().normalize());
		}
		boolean failed = ScenarioResult.FAILED.equals(outcome.result().status());
		System.exit(failed ? 1 : 0);
	}

}
