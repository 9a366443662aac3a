package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NativeLibraryCache} filled by several JVMs at once.
 */
class NativeLibraryCacheConcurrencyTests {

	private static final int PROCESSES = 2;

	@TempDir
	Path temp;

	@Test
	void cacheWhenTwoProcessesStartOnAnEmptyCacheIsBuiltOnceAndUsedByBoth() throws Exception {
		// large enough for the unpacking of the two processes to overlap
		FakeOnnxRuntimeJar fake = FakeOnnxRuntimeJar.gpu(4096);
		Path jar = fake.writeTo(this.temp.resolve("onnxruntime_gpu-1.29.0.jar"));
		Path directory = this.temp.resolve("cache").resolve("1.29.0-test");
		Path meeting = Files.createDirectory(this.temp.resolve("meeting"));
		List<Process> processes = new ArrayList<>();
		List<String> statuses = new ArrayList<>();
		try {
			for (int i = 0; i < PROCESSES; i++) {
				processes.add(start(jar, directory, meeting, "p" + i));
			}
			awaitReady(meeting, processes);
			Files.createFile(meeting.resolve("go"));
			for (Process process : processes) {
				assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
				String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				assertThat(process.exitValue()).as(output).isZero();
				assertThat(output).contains("path=" + directory);
				statuses.add(output.lines().filter((line) -> line.startsWith("status=")).findFirst().orElseThrow());
			}
		}
		finally {
			processes.forEach(Process::destroyForcibly);
		}
		assertThat(statuses).containsExactlyInAnyOrder("status=CREATED", "status=HIT");
		assertThat(NativeLibraryCacheTests.fileNames(directory.getParent())).containsExactly("1.29.0-test");
		try (JarNativeLibrarySource source = JarNativeLibrarySource.open(jar, "linux-x64")) {
			for (NativeLibrary library : source.libraries()) {
				assertThat(directory.resolve(library.name()))
					.hasBinaryContent(fake.content(FakeOnnxRuntimeJar.LINUX + library.name()));
			}
			assertThat(new NativeLibraryCache(directory).prepare(source).status()).isEqualTo(Status.HIT);
		}
	}

	private Process start(Path jar, Path directory, Path meeting, String name) throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
				NativeLibraryCacheProcess.class.getName(), jar.toString(), directory.toString(), meeting.toString(),
				name)
			.redirectErrorStream(true)
			.start();
	}

	private void awaitReady(Path meeting, List<Process> processes) throws InterruptedException {
		for (int i = 0; i < PROCESSES; i++) {
			Path ready = meeting.resolve("ready-p" + i);
			while (!Files.exists(ready)) {
				assertThat(processes.get(i).isAlive()).as("process p" + i + " is alive").isTrue();
				Thread.sleep(10);
			}
		}
	}

}
