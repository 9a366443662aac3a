package io.github.onnxgpu.benchmarks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.github.onnxgpu.benchmarks.Json;

/**
 * Writes a suite's results as {@code <name>.json} for machines and {@code <name>.md} for
 * people, the machine stated at the top of both.
 */
public final class ResultFiles {

	private ResultFiles() {
	}

	/**
	 * Write both files.
	 * @param directory the directory, created if missing
	 * @param name the base name, such as {@code cpu-results}
	 * @param result the results
	 * @return the JSON file and the Markdown file
	 */
	public static List<Path> write(Path directory, String name, SuiteResult result) {
		try {
			Files.createDirectories(directory);
			Path json = directory.resolve(name + ".json");
			Path markdown = directory.resolve(name + ".md");
			Json.write(json, result);
			Files.writeString(markdown, markdown(result));
			return List.of(json, markdown);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the results to " + directory, ex);
		}
	}

	static String markdown(SuiteResult result) {
		StringBuilder md = new StringBuilder();
		md.append("# ONNX GPU Spring Boot starter benchmarks: ").append(result.suite().toUpperCase()).append("\n\n");
		MachineInfo machine = result.machine();
		md.append("| Machine | |\n|---|---|\n");
		md.append("| CPU | ").append(machine.cpuModel()).append(", ").append(machine.cores()).append(" cores |\n");
		md.append("| Memory | ").append(machine.memoryGb()).append(" GB |\n");
		md.append("| Load average (1 min) | ")
			.append(String.format(Locale.ROOT, "%.2f at start, %.2f at end", machine.loadAverageAtStart(),
					result.loadAverageAtEnd()))
			.append(" (other work on the machine makes the figures noisier) |\n");
		md.append("| OS | ").append(machine.os()).append(" |\n");
		md.append("| Java | ").append(machine.java()).append(" |\n");
		md.append("| ONNX Runtime | ")
			.append(machine.ortVersion())
			.append(" (providers in this build: ")
			.append(String.join(", ", machine.ortProviders()))
			.append(") |\n");
		md.append("| Provider measured | ").append(machine.provider()).append(" |\n");
		md.append("| Mode | ").append(result.mode()).append(" |\n");
		md.append("| Generated | ")
			.append(result.generatedAt())
			.append(", in ")
			.append(result.durationSeconds())
			.append(" s |\n");
		md.append("| Command | `").append(result.command()).append("` |\n\n");
		if ("quick".equals(result.mode())) {
			md.append(
					"> Quick mode: every scenario once on small shapes, to prove it runs. The figures mean nothing.\n\n");
		}
		if (result.skipReason() != null) {
			md.append("> **Skipped:** ").append(result.skipReason()).append("\n\n");
		}
		for (ScenarioResult scenario : result.scenarios()) {
			scenario(md, scenario);
		}
		return md.toString();
	}

	private static void scenario(StringBuilder md, ScenarioResult scenario) {
		md.append("## ").append(scenario.id()).append(". ").append(scenario.title()).append("\n\n");
		md.append(scenario.measures()).append("\n\n");
		if (!ScenarioResult.COMPLETED.equals(scenario.status())) {
			md.append("**")
				.append(capitalize(scenario.status()))
				.append(":** ")
				.append(scenario.skipReason())
				.append("\n\n");
			return;
		}
		for (Table table : scenario.tables()) {
			md.append(table.caption()).append(":\n\n");
			md.append("| ").append(String.join(" | ", table.headers())).append(" |\n");
			md.append("|").append("---|".repeat(table.headers().size())).append("\n");
			for (List<String> row : table.rows()) {
				md.append("| ").append(String.join(" | ", row)).append(" |\n");
			}
			md.append("\n");
		}
		if (!scenario.targets().isEmpty()) {
			md.append("Targets:\n\n");
			for (TargetCheck target : scenario.targets()) {
				md.append("- ")
					.append(target.met() ? "met" : "**not met**")
					.append(": ")
					.append(target.subject())
					.append(", ")
					.append(target.target())
					.append(", measured ")
					.append(target.observed())
					.append("\n");
			}
			md.append("\n");
		}
		for (String note : scenario.notes()) {
			md.append("- ").append(note).append("\n");
		}
		md.append("\n");
	}

	private static String capitalize(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

}
