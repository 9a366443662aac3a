package io.github.onnxgpu.boot.internal.provider;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;

/**
 * Adds the CUDA execution provider to session options. The seam between the fallback
 * decision, which is testable anywhere, and ONNX Runtime's native CUDA code, which only
 * works where CUDA loads.
 */
@FunctionalInterface
public interface CudaProviderInstaller {

	/**
	 * The installer that asks ONNX Runtime for the CUDA provider.
	 */
	CudaProviderInstaller ONNX_RUNTIME = CudaProviderInstaller::addCuda;

	/**
	 * Add the CUDA provider with the given settings.
	 * @param options the session options to add it to
	 * @param settings the CUDA settings
	 * @throws OrtException when ONNX Runtime cannot add the provider
	 */
	void install(SessionOptions options, CudaSettings settings) throws OrtException;

	/**
	 * Build ONNX Runtime's CUDA provider options from the settings.
	 * @param settings the settings
	 * @return new provider options, to be closed by the caller
	 * @throws OrtException when ONNX Runtime rejects them
	 */
	static OrtCUDAProviderOptions providerOptions(CudaSettings settings) throws OrtException {
		OrtCUDAProviderOptions providerOptions = new OrtCUDAProviderOptions(settings.deviceId());
		try {
			for (var option : settings.options().entrySet()) {
				providerOptions.add(option.getKey(), option.getValue());
			}
			return providerOptions;
		}
		catch (OrtException | RuntimeException ex) {
			providerOptions.close();
			throw ex;
		}
	}

	private static void addCuda(SessionOptions options, CudaSettings settings) throws OrtException {
		try (OrtCUDAProviderOptions providerOptions = providerOptions(settings)) {
			options.addCUDA(providerOptions);
		}
	}

}
