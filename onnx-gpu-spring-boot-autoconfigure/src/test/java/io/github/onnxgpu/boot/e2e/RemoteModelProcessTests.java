package io.github.onnxgpu.boot.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import io.github.onnxgpu.boot.test.JavaProcess;
import io.github.onnxgpu.boot.test.ModelServer;
import io.github.onnxgpu.boot.test.StallingServer;
import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Remote models in a JVM of their own: a model larger than the heap is streamed to disk
 * (held in the heap, it failed with a bare {@code OutOfMemoryError}), and SIGTERM while a
 * model downloads from a server that never answers ends the JVM at once with one line
 * (Spring Boot's shutdown hook waited for the refresh, so only SIGKILL ended it).
 */
@EnabledOnOs(OS.LINUX)
class RemoteModelProcessTests {

	private static final Duration MARK_TIMEOUT = Duration.ofSeconds(180);

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	Path work;

	@Test
	void modelLargerThanTheHeapIsStreamedToDisk() throws Exception {
		// 20 Mi floats: an 80 MiB model for a 64 MiB heap
		byte[] model = OnnxModelBuilder.graph("large")
			.input("x", TensorType.FLOAT, 1)
			.output("y", TensorType.FLOAT, 20 * 1024 * 1024)
			.initializer("w", new float[20 * 1024 * 1024], 20 * 1024 * 1024)
			.node("Add", List.of("x", "w"), List.of("y"))
			.toByteArray();
		Path downloads = Files.createDirectories(this.work.resolve("downloads"));
		try (ModelServer server = ModelServer.start().serve("/large.onnx", model)) {
			JavaProcess process = JavaProcess.run(System.getProperty("java.class.path"),
					List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), DownloadProcess.class,
					"--spring.main.banner-mode=off", "--onnx.cuda.enabled=false", "--onnx.native.cache.enabled=false",
					"--onnx.warmup.enabled=false", "--onnx.models.large.location=" + server.url(null, "/large.onnx"),
					"--onnx.download.directory=" + downloads);
			long heap = process.output()
				.lines()
				.filter((line) -> line.startsWith("MARK heap "))
				.mapToLong((line) -> Long.parseLong(line.substring("MARK heap ".length())))
				.findFirst()
				.orElseThrow();
			assertThat((long) model.length).as("model size against the heap").isGreaterThan(heap);
			assertThat(process.output()).as(process.output())
				.contains("MARK loaded large NOT_WARMED")
				.doesNotContain("OutOfMemoryError");
			assertThat(process.exitValue()).as(process.output()).isZero();
		}
		assertThat(downloads).isEmptyDirectory();
	}

	@Test
	void sigtermWhileAModelDownloadsFromASilentServerEndsTheJvmWithOneLine() throws Exception {
		Path downloads = Files.createDirectories(this.work.resolve("downloads"));
		// Spring Boot's own console logging: the tests' configuration hides failure
		// reports
		Path logging = Files.writeString(this.work.resolve("logback.xml"), """
				<configuration>
					<include resource="org/springframework/boot/logging/logback/defaults.xml"/>
					<include resource="org/springframework/boot/logging/logback/console-appender.xml"/>
					<root level="INFO">
						<appender-ref ref="CONSOLE"/>
					</root>
				</configuration>
				""");
		try (StallingServer server = StallingServer.silent()) {
			Path log = this.work.resolve("sigterm.log");
			Path busy = this.work.resolve("busy");
			List<String> command = new ArrayList<>(List.of(
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
					"-Ddownload.busy-threads=3", "-Ddownload.busy-when=" + busy, "-cp",
					System.getProperty("java.class.path"), DownloadProcess.class.getName(),
					"--spring.main.banner-mode=off", "--onnx.cuda.enabled=false", "--onnx.native.cache.enabled=false",
					"--onnx.models.classifier.location=" + server.url("/cls.onnx"),
					"--onnx.download.directory=" + downloads, "--logging.config=file:" + logging));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			try {
				long deadline = System.nanoTime() + MARK_TIMEOUT.toNanos();
				while (server.accepted() == 0) {
					if (!process.isAlive() || System.nanoTime() > deadline) {
						fail("The download did not start\n" + Files.readString(log));
					}
					Thread.sleep(20);
				}
				// the download waits: load the CPU beside it, then SIGTERM on Linux
				Files.createFile(busy);
				while (!Files.readString(log).contains("MARK busy")) {
					if (!process.isAlive() || System.nanoTime() > deadline) {
						fail("The busy threads did not start\n" + Files.readString(log));
					}
					Thread.sleep(20);
				}
				Thread.sleep(500);
				long terminated = System.nanoTime();
				process.destroy();
				boolean exited = process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
				long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - terminated);
				String output = Files.readString(log);
				System.out.printf("SIGTERM during a download: exit %s after %d ms%n",
						exited ? process.exitValue() : "none", millis);
				assertThat(exited).as("exited in time\n%s", output).isTrue();
				assertThat(process.exitValue()).as(output).isEqualTo(143);
				assertThat(output.lines().filter((line) -> line.contains("stopped by shutdown"))).as(output)
					.singleElement()
					.asString()
					.contains("INFO", "ONNX model 'classifier': start-up stopped by shutdown while downloading "
							+ server.url("/cls.onnx") + " (0 bytes received)");
				assertThat(output).as(output)
					.doesNotContain("APPLICATION FAILED TO START", "Application run failed", "Exception in thread",
							"\tat ", "cancelling refresh", " WARN ", "ERROR");
			}
			finally {
				process.destroyForcibly();
			}
		}
		assertThat(downloads).isEmptyDirectory();
	}

}
