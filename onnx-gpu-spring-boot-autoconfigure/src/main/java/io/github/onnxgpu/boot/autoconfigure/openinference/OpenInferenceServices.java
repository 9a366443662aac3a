package io.github.onnxgpu.boot.autoconfigure.openinference;

import ai.onnxruntime.OrtEnvironment;

import io.github.onnxgpu.boot.internal.openinference.OpenInferenceService;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelRegistry;

/**
 * Creates the protocol's service for the REST and gRPC auto-configurations.
 */
final class OpenInferenceServices {

	static final String SERVER_NAME = "onnx-gpu-spring-boot-starter";

	private OpenInferenceServices() {
	}

	static OpenInferenceService create(OnnxModelRegistry registry, OnnxInference inference,
			OrtEnvironment environment) {
		String version = OpenInferenceService.class.getPackage().getImplementationVersion();
		return new OpenInferenceService(registry, inference, environment, SERVER_NAME,
				(version != null) ? version : "development");
	}

}
