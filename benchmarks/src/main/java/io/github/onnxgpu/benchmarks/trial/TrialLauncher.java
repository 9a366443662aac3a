package io.github.onnxgpu.benchmarks.trial;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.onnxgpu.benchmarks.Json;

/**
 * Starts every trial in a fresh JVM with this JVM's class path (the benchmark jar's
 * manifest class path, or the test class path), so that nothing a previous trial loaded,
 * compiled or allocated makes a first request look faster than a real first start.
 * <p>
 * The class path goes in an argument file: ONNX Runtime 1.29.0 crashes the JVM (SIGSEGV,
 * no error report) while initializing its environment when the process's command line is
 * longer than about 3.4 KB, which a Maven class path easily is.
 */
public final class TrialLauncher {

	private static final List<String> JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g");

	private final Path workDirectory;

	private final Duration timeout;

	private int launched;

	/**
	 * Create a launcher.
	 * @param workDirectory where specs and trial logs go
	 * @param timeout the longest a trial may run
	 */
	public TrialLauncher(Path workDirectory, Duration timeout) {
		this.workDirectory = workDirectory;
		this.timeout = timeout;
	}

	/**
	 * Run a trial of the starter.
	 * @param spec the trial
	 * @return its report
	 */
	public TrialReport starter(TrialSpec spec) {
		return Json.read(launch(StarterTrialApplication.class, spec, TrialReport.KIND), TrialReport.class);
	}

	/**
	 * Run a trial of the hand-written baseline.
	 * @param spec the trial
	 * @return its report
	 */
	public TrialReport handWritten(TrialSpec spec) {
		return Json.read(launch(HandWrittenTrial.class, spec, TrialReport.KIND), TrialReport.class);
	}

	/**
	 * Run a load trial of the starter.
	 * @param spec the trial
	 * @return its report
	 */
	public LoadReport load(LoadSpec spec) {
		return Json.read(launch(LoadTrialApplication.class, spec, LoadReport.KIND), LoadReport.class);
	}

	/**
	 * Probe the ONNX Runtime environment in a fresh JVM.
	 * @param cudaModel a model to try a CUDA session with, or {@code null} not to try
	 * @return the probe's JSON line
	 */
	public String probeEnvironment(Path cudaModel) {
		List<String> args = (cudaModel != null) ? List.of(cudaModel.toString()) : List.of();
		return run(EnvironmentProbe.class, args, "onnx-benchmark-environment");
	}

	private String launch(Class<?> main, Object spec, String kind) {
		Path specFile = this.workDirectory.resolve("trial-" + (this.launched + 1) + ".json");
		Json.write(specFile, spec);
		return run(main, List.of(specFile.toString()), kind);
	}

	/**
	 * Start a program that keeps running, such as a web application, in a fresh JVM with
	 * this JVM's class path; the caller stops it.
	 * @param main the main class
	 * @param args its arguments
	 * @return the running program
	 */
	public Started start(Class<?> main, List<String> args) {
		this.launched++;
		Path log = this.workDirectory.resolve("trial-" + this.launched + ".log");
		try {
			return new Started(startProcess(main, args, log), log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + main.getSimpleName(), ex);
		}
	}

	private Process startProcess(Class<?> main, List<String> args, Path log) throws IOException {
		return startProcess(main, JVM_OPTIONS, args, log);
	}

	private Process startProcess(Class<?> main, List<String> jvmOptions, List<String> args, Path log)
			throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("@" + classPathArgumentFile());
		command.add(main.getName());
		command.addAll(args);
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	private String run(Class<?> main, List<String> args, String kind) {
		return run(main, JVM_OPTIONS, args, kind);
	}

	/**
	 * Run a program in a fresh JVM with this JVM's class path and other JVM options, and
	 * return the last line it printed that is a JSON object of a kind.
	 * @param main the main class
	 * @param jvmOptions the JVM options, such as {@code -Xmx512m}
	 * @param args its arguments
	 * @param kind the {@code kind} of its report line
	 * @return the report line
	 */
	public String run(Class<?> main, List<String> jvmOptions, List<String> args, String kind) {
		this.launched++;
		Path log = this.workDirectory.resolve("trial-" + this.launched + ".log");
		try {
			Process process = startProcess(main, jvmOptions, args, log);
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor();
				throw new TrialFailedException(main.getSimpleName() + " did not finish within " + this.timeout, log);
			}
			String marker = "\"kind\":\"" + kind + "\"";
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			for (int i = lines.size() - 1; i >= 0; i--) {
				String line = lines.get(i).strip();
				if (line.startsWith("{") && line.contains(marker)) {
					return line;
				}
			}
			throw new TrialFailedException(
					main.getSimpleName() + " exited with " + process.exitValue() + " and no report line", log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run " + main.getSimpleName(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + main.getSimpleName(), ex);
		}
	}

	private Path classPathArgumentFile() throws IOException {
		Path file = this.workDirectory.resolve("classpath.args");
		if (!Files.exists(file)) {
			String classPath = System.getProperty("java.class.path").replace("\\", "\\\\").replace("\"", "\\\"");
			Files.writeString(file, "-cp \"" + classPath + "\"\n");
		}
		return file;
	}

	/**
	 * A program started by {@link #start}.
	 *
	 * @param process its process
	 * @param log where its output goes
	 */
	public record Started(Process process, Path log) {

		/**
		 * Fail with the end of the program's output.
		 * @param message what went wrong
		 * @return the exception to throw
		 */
		public TrialFailedException failure(String message) {
			return new TrialFailedException(message, this.log);
		}

		/**
		 * Stop the program as an orchestrator would (SIGTERM), forcibly after a grace
		 * period.
		 * @param grace how long it may take to stop
		 */
		public void stop(Duration grace) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
					this.process.destroyForcibly().waitFor();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
			}
		}

	}

	/**
	 * A trial that failed, with the end of its output.
	 */
	public static class TrialFailedException extends RuntimeException {

		TrialFailedException(String message, Path log) {
			super(message + "; its output (" + log + ") ends with:\n" + tail(log));
		}

		private static String tail(Path log) {
			try {
				List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
				return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
			}
			catch (IOException ex) {
				return "(unreadable: " + ex.getMessage() + ")";
			}
		}

	}

}
