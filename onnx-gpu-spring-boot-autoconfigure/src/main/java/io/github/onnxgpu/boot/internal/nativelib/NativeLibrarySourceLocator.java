package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * Finds the native libraries ONNX Runtime would load.
 */
@FunctionalInterface
public interface NativeLibrarySourceLocator {

	/**
	 * Find the libraries.
	 * @return the source, to be closed by the caller, {@code null} when there are none
	 * for this platform
	 * @throws IOException when they cannot be read
	 */
	@Nullable NativeLibrarySource locate() throws IOException;

	/**
	 * The locator of the ONNX Runtime jar on a class path, for the platform this JVM runs
	 * on.
	 * @param classLoader the class loader ONNX Runtime is loaded by
	 * @return the locator
	 */
	static NativeLibrarySourceLocator onClassPath(ClassLoader classLoader) {
		return () -> JarNativeLibrarySource.locate(classLoader, NativePlatform.current());
	}

	/**
	 * This locator without the GPU execution provider libraries, for hosts that will not
	 * load them.
	 * @return the locator
	 */
	default NativeLibrarySourceLocator withoutGpuProviders() {
		return () -> {
			NativeLibrarySource source = locate();
			return (source != null) ? new WithoutGpuProvidersSource(source) : null;
		};
	}

}
