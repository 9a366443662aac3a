package io.github.onnxgpu.boot.internal.provider;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Looks for the NVIDIA driver the way a Linux host exposes it: the kernel module's
 * {@code /proc/driver/nvidia}, or the user-space driver {@code libcuda.so.1} in the usual
 * library folders (WSL 2 and containers have the library but not the folder). Only a host
 * with neither is reported as unable to run CUDA; on other operating systems nothing is
 * concluded.
 */
public class NvidiaDriverProbe implements CudaDriverProbe {

	private static final List<String> LIBRARY_FOLDERS = List.of("/usr/lib/x86_64-linux-gnu",
			"/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/cuda/lib64", "/usr/local/cuda/compat",
			"/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/lib/wsl/lib");

	private final boolean linux;

	private final Path kernelDriver;

	private final List<Path> libraryFolders;

	/**
	 * Probe this host.
	 */
	public NvidiaDriverProbe() {
		this(System.getProperty("os.name", "").toLowerCase().startsWith("linux"), Path.of("/proc/driver/nvidia"),
				hostLibraryFolders());
	}

	NvidiaDriverProbe(boolean linux, Path kernelDriver, List<Path> libraryFolders) {
		this.linux = linux;
		this.kernelDriver = kernelDriver;
		this.libraryFolders = List.copyOf(libraryFolders);
	}

	@Override
	public @Nullable String absenceReason() {
		if (!this.linux || Files.exists(this.kernelDriver)) {
			return null;
		}
		for (Path folder : this.libraryFolders) {
			if (Files.exists(folder.resolve("libcuda.so.1"))) {
				return null;
			}
		}
		return "no NVIDIA driver on this host (no " + this.kernelDriver + ", no libcuda.so.1 in " + this.libraryFolders
				+ "); CUDA was not tried";
	}

	private static List<Path> hostLibraryFolders() {
		List<Path> folders = new ArrayList<>();
		String ldLibraryPath = System.getenv("LD_LIBRARY_PATH");
		if (ldLibraryPath != null) {
			for (String folder : ldLibraryPath.split(File.pathSeparator)) {
				if (!folder.isBlank()) {
					folders.add(Path.of(folder));
				}
			}
		}
		LIBRARY_FOLDERS.forEach((folder) -> folders.add(Path.of(folder)));
		return folders;
	}

}
