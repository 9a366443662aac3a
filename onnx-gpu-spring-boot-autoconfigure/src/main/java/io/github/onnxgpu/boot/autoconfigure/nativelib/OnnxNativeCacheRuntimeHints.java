package io.github.onnxgpu.boot.autoconfigure.nativelib;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What a native image needs for the native library cache: Spring Boot instantiates
 * {@link OnnxNativeCacheEnvironmentPostProcessor} from {@code META-INF/spring.factories}
 * before any context exists, so no bean brings it. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
class OnnxNativeCacheRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent("ai.onnxruntime.OrtEnvironment", classLoader)) {
			return;
		}
		hints.reflection()
			.registerType(OnnxNativeCacheEnvironmentPostProcessor.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		hints.reflection()
			.registerType(OnnxNativePathEnvironmentPostProcessor.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		// bound by the post-processor before any bean exists
		BindableRuntimeHintsRegistrar.forTypes(OnnxNativePathProperties.class).registerHints(hints);
	}

}
