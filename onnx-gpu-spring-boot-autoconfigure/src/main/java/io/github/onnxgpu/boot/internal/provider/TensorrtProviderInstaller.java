package io.github.onnxgpu.boot.internal.provider;

import java.util.Map;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;

/**
 * Adds the TensorRT execution provider to session options. The seam between the provider
 * chain, testable anywhere, and ONNX Runtime's TensorRT library, which only loads where
 * TensorRT and CUDA are installed.
 */
@FunctionalInterface
public interface TensorrtProviderInstaller {

	/**
	 * The installer that asks ONNX Runtime for the TensorRT provider.
	 */
	TensorrtProviderInstaller ONNX_RUNTIME = TensorrtProviderInstaller::addTensorrt;

	/**
	 * Add the TensorRT provider with the given options.
	 * @param options the session options to add it to
	 * @param providerOptions the provider options by ONNX Runtime key, {@code device_id}
	 * included
	 * @throws OrtException when ONNX Runtime cannot add the provider
	 */
	void install(SessionOptions options, Map<String, String> providerOptions) throws OrtException;

	/**
	 * Build ONNX Runtime's TensorRT provider options.
	 * @param providerOptions the options by key, {@code device_id} included
	 * @return new provider options, to be closed by the caller
	 * @throws OrtException when ONNX Runtime rejects them
	 */
	static OrtTensorRTProviderOptions providerOptions(Map<String, String> providerOptions) throws OrtException {
		int deviceId = Integer.parseInt(providerOptions.getOrDefault("device_id", "0"));
		OrtTensorRTProviderOptions options = new OrtTensorRTProviderOptions(deviceId);
		try {
			for (var option : providerOptions.entrySet()) {
				options.add(option.getKey(), option.getValue());
			}
			return options;
		}
		catch (OrtException | RuntimeException ex) {
			options.close();
			throw ex;
		}
	}

	private static void addTensorrt(SessionOptions options, Map<String, String> providerOptions) throws OrtException {
		try (OrtTensorRTProviderOptions trt = providerOptions(providerOptions)) {
			options.addTensorrt(trt);
		}
	}

}
