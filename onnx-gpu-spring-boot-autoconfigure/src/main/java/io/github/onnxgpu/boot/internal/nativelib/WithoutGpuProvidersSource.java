package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A source without the GPU execution provider libraries (CUDA, TensorRT), for hosts that
 * will never load them: the CUDA provider alone is about 580 MB, seconds to unpack. If
 * ONNX Runtime ever needs one, it unpacks it from its jar as usual. The smaller set has
 * its own checksum, so it gets its own cache folder and never passes for a full one.
 */
final class WithoutGpuProvidersSource implements NativeLibrarySource {

	private final NativeLibrarySource source;

	private final List<NativeLibrary> libraries;

	WithoutGpuProvidersSource(NativeLibrarySource source) {
		this.source = source;
		this.libraries = source.libraries().stream().filter((library) -> !isGpuProvider(library.name())).toList();
	}

	static boolean isGpuProvider(String fileName) {
		return fileName.contains("providers_cuda") || fileName.contains("providers_tensorrt");
	}

	@Override
	public String description() {
		return this.source.description() + " without GPU provider libraries";
	}

	@Override
	public String version() {
		return this.source.version();
	}

	@Override
	public String platform() {
		return this.source.platform();
	}

	@Override
	public List<NativeLibrary> libraries() {
		return this.libraries;
	}

	@Override
	public InputStream open(NativeLibrary library) throws IOException {
		return this.source.open(library);
	}

	@Override
	public void close() throws IOException {
		this.source.close();
	}

}
