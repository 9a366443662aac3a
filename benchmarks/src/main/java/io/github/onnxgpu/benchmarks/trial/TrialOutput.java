package io.github.onnxgpu.benchmarks.trial;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import io.github.onnxgpu.benchmarks.Json;

/**
 * The plumbing shared by the trial mains: reading the spec named by the only argument,
 * the JVM's start time, and printing the report line.
 */
final class TrialOutput {

	private TrialOutput() {
	}

	static TrialSpec readSpec(String[] args) {
		if (args.length != 1) {
			throw new IllegalArgumentException("Usage: <trial main> <trial-spec.json>");
		}
		return Json.read(Path.of(args[0]), TrialSpec.class);
	}

	/**
	 * Milliseconds from JVM start to now, on the wall clock the JVM start is recorded in.
	 * @return the milliseconds
	 */
	static double millisSinceJvmStart() {
		return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
	}

	static void print(TrialReport report) {
		System.out.println(Json.line(report));
		System.out.flush();
	}

}
