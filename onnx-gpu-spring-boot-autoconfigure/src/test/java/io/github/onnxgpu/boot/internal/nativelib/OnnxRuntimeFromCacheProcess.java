package io.github.onnxgpu.boot.internal.nativelib;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;

import io.github.onnxgpu.testmodels.TestModels;

/**
 * A process that installs the native library cache from the real ONNX Runtime jar on its
 * class path, then uses ONNX Runtime. Arguments: the cache folder, and {@code all} for
 * every library or {@code core} for all but the GPU providers (which are then not used).
 * Prints the outcome, the native libraries this process mapped (from
 * {@code /proc/self/maps}), and the files left in its temporary folder, where ONNX
 * Runtime unpacks libraries it does not find in the cache.
 */
public final class OnnxRuntimeFromCacheProcess {

	private OnnxRuntimeFromCacheProcess() {
	}

	public static void main(String[] args) throws Exception {
		NativeLibrarySourceLocator locator = NativeLibrarySourceLocator
			.onClassPath(OnnxRuntimeFromCacheProcess.class.getClassLoader());
		boolean core = args[1].equals("core");
		NativeLibraryCacheInstaller installer = new NativeLibraryCacheInstaller(System.getProperties(),
				core ? locator.withoutGpuProviders() : locator);
		NativeLibraryCacheResult result = installer.install(true, Path.of(args[0]), null);
		System.out.println("status=" + result.status() + " " + result.reason());
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		try (OrtSession session = environment.createSession(TestModels.convNet(), new OrtSession.SessionOptions())) {
			System.out.println("session=" + session.getInputNames());
		}
		if (!core) {
			// unpacks the 580 MB CUDA provider without the cache; needs no GPU
			try (OrtCUDAProviderOptions options = new OrtCUDAProviderOptions(0)) {
				System.out.println("cuda-options=created");
			}
			catch (Throwable ex) {
				System.out.println("cuda-options=" + ex);
			}
		}
		Files.readAllLines(Path.of("/proc/self/maps"))
			.stream()
			.map((line) -> line.substring(line.lastIndexOf(' ') + 1))
			.filter((file) -> file.contains("onnxruntime"))
			.distinct()
			.forEach((file) -> System.out.println("mapped=" + file));
		try (Stream<Path> files = Files.walk(Path.of(System.getProperty("java.io.tmpdir")))) {
			files.filter(Files::isRegularFile).forEach((file) -> System.out.println("temporary=" + file));
		}
	}

}
