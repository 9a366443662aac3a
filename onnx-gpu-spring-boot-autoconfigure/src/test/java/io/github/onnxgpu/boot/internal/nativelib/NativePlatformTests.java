package io.github.onnxgpu.boot.internal.nativelib;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NativePlatform}.
 */
class NativePlatformTests {

	@Test
	void folderNameFollowsOnnxRuntimeNaming() {
		assertThat(NativePlatform.folderName("Linux", "amd64")).isEqualTo("linux-x64");
		assertThat(NativePlatform.folderName("Linux", "aarch64")).isEqualTo("linux-aarch64");
		assertThat(NativePlatform.folderName("Mac OS X", "aarch64")).isEqualTo("osx-aarch64");
		assertThat(NativePlatform.folderName("Mac OS X", "x86_64")).isEqualTo("osx-x64");
		assertThat(NativePlatform.folderName("Windows 11", "amd64")).isEqualTo("win-x64");
	}

	@Test
	void folderNameWhenPlatformUnsupportedIsNull() {
		assertThat(NativePlatform.folderName("SunOS", "amd64")).isNull();
		assertThat(NativePlatform.folderName("Linux", "riscv64")).isNull();
	}

}
