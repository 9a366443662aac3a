package io.github.onnxgpu.benchmarks.report;

import java.util.List;

/**
 * Everything one run of the suite wrote: the JSON file's content.
 *
 * @param suite {@code cpu} or {@code gpu}
 * @param mode {@code full} or {@code quick}
 * @param status {@code completed}, {@code skipped} (no GPU) or {@code failed}
 * @param skipReason why the whole suite was skipped, or {@code null}
 * @param generatedAt when it finished, ISO-8601
 * @param durationSeconds how long it took
 * @param command the command that reproduces it
 * @param machine the machine
 * @param loadAverageAtEnd the 1-minute load average when the suite finished
 * @param settings the profile it ran with
 * @param scenarios the scenarios' results
 */
public record SuiteResult(String suite, String mode, String status, String skipReason, String generatedAt,
		long durationSeconds, String command, MachineInfo machine, double loadAverageAtEnd, Object settings,
		List<ScenarioResult> scenarios) {

	public SuiteResult {
		scenarios = List.copyOf(scenarios);
	}

}
