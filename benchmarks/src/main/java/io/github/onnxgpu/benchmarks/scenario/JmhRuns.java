package io.github.onnxgpu.benchmarks.scenario;

import java.util.Collection;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;

/**
 * Runs JMH the way every scenario that uses it must.
 */
final class JmhRuns {

	private JmhRuns() {
	}

	/**
	 * Run JMH.
	 * @param options the run's options
	 * @param log the name of its output file in the work directory, for the message
	 * @return the results
	 */
	static Collection<RunResult> run(Options options, String log) {
		// JMH forks with -cp <this class path>; a long one crashes ONNX Runtime (see
		// TrialLauncher)
		System.setProperty("jmh.separateClasspathJAR", "true");
		try {
			return new Runner(options).run();
		}
		catch (RunnerException ex) {
			throw new IllegalStateException("JMH failed, see " + log + " in the work directory: " + ex.getMessage(),
					ex);
		}
	}

}
