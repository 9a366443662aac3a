package io.github.onnxgpu.boot.actuate;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ModelDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.OnnxDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ReloadDescriptor;

/**
 * The reflection a native image needs to serialise the {@link OnnxEndpoint}'s answers
 * with Jackson: the records its operations return and every record they reach, walked by
 * {@link BindingReflectionHintsRegistrar}. Imported by the endpoint
 * ({@code @ImportRuntimeHints}), so registered where the endpoint is a bean.
 */
class OnnxEndpointRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), OnnxDescriptor.class,
				ModelDescriptor.class, ReloadDescriptor.class);
	}

}
