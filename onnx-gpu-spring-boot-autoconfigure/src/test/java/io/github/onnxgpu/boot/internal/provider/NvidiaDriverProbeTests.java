package io.github.onnxgpu.boot.internal.provider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NvidiaDriverProbe}.
 */
class NvidiaDriverProbeTests {

	@TempDir
	Path root;

	@Test
	void hostWithoutKernelDriverOrLibraryCannotRunCuda() {
		String reason = probe(true).absenceReason();
		assertThat(reason).startsWith("no NVIDIA driver on this host").contains("libcuda.so.1");
	}

	@Test
	void hostWithKernelDriverMayRunCuda() throws Exception {
		Files.createDirectories(this.root.resolve("proc/driver/nvidia"));
		assertThat(probe(true).absenceReason()).isNull();
	}

	@Test
	void hostWithUserSpaceDriverOnlyMayRunCuda() throws Exception {
		// WSL 2 and GPU containers: the library is mounted, the kernel folder is not
		// there
		Path lib = Files.createDirectories(this.root.resolve("usr/lib/wsl/lib"));
		Files.createFile(lib.resolve("libcuda.so.1"));
		assertThat(probe(true).absenceReason()).isNull();
	}

	@Test
	void otherOperatingSystemsAreNotJudged() {
		assertThat(probe(false).absenceReason()).isNull();
	}

	private NvidiaDriverProbe probe(boolean linux) {
		return new NvidiaDriverProbe(linux, this.root.resolve("proc/driver/nvidia"),
				List.of(this.root.resolve("usr/lib64"), this.root.resolve("usr/lib/wsl/lib")));
	}

}
