package io.github.onnxgpu.benchmarks.scenario;

import java.util.List;

import io.github.onnxgpu.benchmarks.report.ScenarioResult;

/**
 * One scenario of the benchmark suite.
 */
public interface Scenario {

	/**
	 * Run the scenario.
	 * @param context the suite's settings, models and launcher
	 * @return its results, one per scenario of the issue it answers
	 */
	List<ScenarioResult> run(ScenarioContext context);

}
