package io.github.onnxgpu.boot.internal.nativelib;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration test of the native library cache with the real ONNX Runtime jar on the test
 * class path (GPU or CPU artifact): ONNX Runtime must load its libraries from the cache
 * and unpack nothing itself. Runs in a new JVM, since ONNX Runtime loads its native code
 * once per JVM. Linux only, where {@code /proc/self/maps} tells which files a process
 * loaded.
 */
@EnabledOnOs(OS.LINUX)
class NativeLibraryCacheOnnxRuntimeTests {

	@TempDir
	Path temp;

	@Test
	void onnxRuntimeLoadsItsLibrariesFromTheCache() throws Exception {
		Path directory = this.temp.resolve("cache");
		String output = runProcess(directory, "all");
		List<String> lines = output.lines().toList();
		assertThat(lines).as(output).contains("session=[x]").anyMatch((line) -> line.startsWith("status=CREATED"));
		List<String> mapped = lines.stream()
			.filter((line) -> line.startsWith("mapped="))
			.map((line) -> line.substring("mapped=".length()))
			.filter((file) -> file.endsWith(".so"))
			.toList();
		assertThat(mapped).as(output)
			.contains(directory.resolve("libonnxruntime.so").toString(),
					directory.resolve("libonnxruntime4j_jni.so").toString())
			.allMatch((file) -> file.startsWith(directory.toString()));
		assertThat(lines).as(output).noneMatch((line) -> line.startsWith("temporary="));
	}

	@Test
	void onnxRuntimeLoadsWhenCachedLibraryWasDamagedWithSizeAndTimeKept() throws Exception {
		Path directory = this.temp.resolve("cache");
		// the core library only: quick to unpack, and what every start loads
		try (NativeLibrarySource source = NativeLibrarySourceLocator.onClassPath(getClass().getClassLoader())
			.withoutGpuProviders()
			.locate()) {
			new NativeLibraryCache(directory).prepare(source);
		}
		Path library = directory.resolve("libonnxruntime.so");
		FileTime modified = Files.getLastModifiedTime(library);
		try (FileChannel channel = FileChannel.open(library, StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(new byte[] { 0, 0, 0, 0 }), 0);
		}
		Files.setLastModifiedTime(library, modified);
		String output = runProcess(directory, "core");
		// without the check: HIT, then "invalid ELF header" on every start
		assertThat(output.lines()).as(output)
			.contains("session=[x]")
			.anyMatch((line) -> line.startsWith("status=CREATED") && line.contains("libonnxruntime.so is damaged"));
	}

	private String runProcess(Path directory, String libraries) throws Exception {
		Path processTemp = Files.createTempDirectory(this.temp, "tmp");
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		// the class path on the command line makes ONNX Runtime 1.29's native
		// initialisation
		// overflow the default 1 MB stack (see OrtEnvironments); Surefire's own JVM does
		// not
		// hit it, as it reads its class path from a manifest-only jar
		Process process = new ProcessBuilder(java.toString(), "-Xss16m", "-Djava.io.tmpdir=" + processTemp, "-cp",
				System.getProperty("java.class.path"), OnnxRuntimeFromCacheProcess.class.getName(),
				directory.toString(), libraries)
			.redirectErrorStream(true)
			.start();
		String output;
		try {
			output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
		}
		finally {
			process.destroyForcibly();
		}
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
