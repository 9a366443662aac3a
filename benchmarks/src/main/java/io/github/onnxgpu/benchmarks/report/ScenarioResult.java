package io.github.onnxgpu.benchmarks.report;

import java.util.List;

/**
 * The outcome of one scenario: its tables and target checks for the Markdown file, and
 * its raw data (every trial) for the JSON file.
 *
 * @param id the scenario's number in the issue, such as {@code 1}
 * @param title the title
 * @param measures what it measures, in a sentence or two
 * @param status {@code completed} or {@code skipped}
 * @param skipReason why it was skipped, or {@code null}
 * @param tables the result tables
 * @param targets the target checks, possibly none
 * @param notes remarks on reading the figures
 * @param data the raw data
 */
public record ScenarioResult(String id, String title, String measures, String status, String skipReason,
		List<Table> tables, List<TargetCheck> targets, List<String> notes, Object data) {

	/** The status of a scenario that ran. */
	public static final String COMPLETED = "completed";

	/** The status of a scenario that could not run here. */
	public static final String SKIPPED = "skipped";

	/** The status of a scenario that broke. */
	public static final String FAILED = "failed";

	public ScenarioResult {
		tables = List.copyOf(tables);
		targets = List.copyOf(targets);
		notes = List.copyOf(notes);
	}

	/**
	 * A scenario that ran.
	 * @param id the number
	 * @param title the title
	 * @param measures what it measures
	 * @param tables the tables
	 * @param targets the target checks
	 * @param notes remarks
	 * @param data the raw data
	 * @return the result
	 */
	public static ScenarioResult completed(String id, String title, String measures, List<Table> tables,
			List<TargetCheck> targets, List<String> notes, Object data) {
		return new ScenarioResult(id, title, measures, COMPLETED, null, tables, targets, notes, data);
	}

	/**
	 * A scenario that could not run here.
	 * @param id the number
	 * @param title the title
	 * @param measures what it would measure
	 * @param reason why it was skipped
	 * @return the result
	 */
	public static ScenarioResult skipped(String id, String title, String measures, String reason) {
		return new ScenarioResult(id, title, measures, SKIPPED, reason, List.of(), List.of(), List.of(), null);
	}

	/**
	 * A scenario that broke.
	 * @param id the number
	 * @param title the title
	 * @param error what went wrong
	 * @return the result
	 */
	public static ScenarioResult failed(String id, String title, String error) {
		return new ScenarioResult(id, title, "", FAILED, error, List.of(), List.of(), List.of(), null);
	}

}
