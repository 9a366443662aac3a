package io.github.onnxgpu.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.provider.ExecutionProviderSettings;

/**
 * Turns a model's {@link ModelExecutionProvider} properties into checked settings.
 */
final class ExecutionProviderMapper {

	private ExecutionProviderMapper() {
	}

	static @Nullable ExecutionProviderSettings map(String modelName, ModelExecutionProvider properties) {
		String name = properties.getName();
		if (name == null || name.isBlank()) {
			boolean otherSet = !properties.getOptions().isEmpty() || properties.getDeviceType() != null
					|| properties.getVendor() != null || properties.getVendorId() != null
					|| properties.getDeviceId() != null || properties.isCompile()
					|| properties.getCompiledModelDirectory() != null;
			if (otherSet) {
				String property = OnnxModelException.modelProperty(modelName, "execution-provider.name");
				throw new OnnxModelException(modelName, property,
						"execution-provider settings are set but not the provider's name",
						"set " + property + " to a provider name listed under devices in /actuator/onnx, such as "
								+ "CPUExecutionProvider, or remove the other execution-provider settings");
			}
			return null;
		}
		return new ExecutionProviderSettings(name.strip(), properties.getOptions(), properties.getDeviceType(),
				properties.getVendor(), properties.getVendorId(), properties.getDeviceId(), properties.isCompile(),
				properties.getCompiledModelDirectory());
	}

}
