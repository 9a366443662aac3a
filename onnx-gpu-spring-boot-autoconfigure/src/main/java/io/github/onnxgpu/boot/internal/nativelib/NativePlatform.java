package io.github.onnxgpu.boot.internal.nativelib;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Names the folder of ONNX Runtime's jar that holds the native libraries of a platform,
 * such as {@code linux-x64}, {@code osx-aarch64} or {@code win-x64}. Mirrors the rules of
 * ONNX Runtime's own loader ({@code ai.onnxruntime.OnnxRuntime}), which cannot be asked
 * without loading its native code.
 */
public final class NativePlatform {

	private NativePlatform() {
	}

	/**
	 * The folder name of the platform this JVM runs on.
	 * @return the folder name, {@code null} when ONNX Runtime does not support the
	 * platform
	 */
	public static @Nullable String current() {
		return folderName(System.getProperty("os.name", "generic"), System.getProperty("os.arch", "generic"));
	}

	/**
	 * The folder name of a platform.
	 * @param osName the operating system name, as in the {@code os.name} system property
	 * @param osArch the architecture, as in the {@code os.arch} system property
	 * @return the folder name, {@code null} when ONNX Runtime does not support the
	 * platform
	 */
	public static @Nullable String folderName(String osName, String osArch) {
		String os = operatingSystem(osName.toLowerCase(Locale.ENGLISH));
		String arch = architecture(osArch.toLowerCase(Locale.ENGLISH));
		return (os != null && arch != null) ? os + "-" + arch : null;
	}

	private static @Nullable String operatingSystem(String name) {
		if (name.contains("mac") || name.contains("darwin")) {
			return "osx";
		}
		if (name.contains("win")) {
			return "win";
		}
		if (name.contains("nux")) {
			return "linux";
		}
		return null;
	}

	private static @Nullable String architecture(String arch) {
		// order matters: "x86_64" also starts with "x86"
		if (arch.startsWith("amd64") || arch.startsWith("x86_64")) {
			return "x64";
		}
		if (arch.startsWith("x86")) {
			return "x86";
		}
		for (String known : new String[] { "aarch64", "ppc64", "loongarch64" }) {
			if (arch.startsWith(known)) {
				return known;
			}
		}
		return null;
	}

}
