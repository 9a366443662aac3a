package io.github.onnxgpu.boot.internal.provider;

import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;

/**
 * Adds an execution provider asked for by name to session options, with the devices it
 * runs on. The seam between the selection, testable anywhere, and ONNX Runtime.
 */
@FunctionalInterface
public interface ExecutionProviderInstaller {

	/**
	 * The installer that asks ONNX Runtime:
	 * {@code addExecutionProvider(devices, options)}.
	 */
	ExecutionProviderInstaller ONNX_RUNTIME = SessionOptions::addExecutionProvider;

	/**
	 * Add the provider.
	 * @param options the session options
	 * @param devices the devices of one provider to run on, at least one
	 * @param providerOptions the provider's options
	 * @throws OrtException when ONNX Runtime refuses
	 */
	void install(SessionOptions options, List<OrtEpDevice> devices, Map<String, String> providerOptions)
			throws OrtException;

}
