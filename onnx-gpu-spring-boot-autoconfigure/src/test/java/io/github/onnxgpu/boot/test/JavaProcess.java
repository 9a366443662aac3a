package io.github.onnxgpu.boot.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a class's {@code main} in a new JVM, for behaviour that belongs to the process:
 * what ONNX Runtime's native code prints, or how it starts.
 *
 * @param exitValue the process's exit status
 * @param output what it printed to standard output and standard error
 */
public record JavaProcess(int exitValue, String output) {

	/**
	 * Run a main class with this JVM's class path and wait for it to end.
	 * @param classPath the class path, on the command line
	 * @param jvmOptions options for the JVM such as {@code -Xss16m}
	 * @param main the main class
	 * @param args its arguments
	 * @return how it ended
	 * @throws IOException when the JVM cannot be started
	 * @throws InterruptedException when interrupted while waiting
	 */
	public static JavaProcess run(String classPath, List<String> jvmOptions, Class<?> main, String... args)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", classPath, main.getName()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s ended", main.getSimpleName()).isTrue();
			return new JavaProcess(process.exitValue(), output);
		}
		finally {
			process.destroyForcibly();
		}
	}

}
