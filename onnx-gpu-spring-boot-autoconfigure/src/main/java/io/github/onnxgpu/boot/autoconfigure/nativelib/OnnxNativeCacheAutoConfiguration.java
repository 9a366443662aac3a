package io.github.onnxgpu.boot.autoconfigure.nativelib;

import ai.onnxruntime.OrtEnvironment;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.github.onnxgpu.boot.autoconfigure.OnnxNativeCacheProperties;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResults;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the native library cache: exposes what
 * {@link OnnxNativeCacheEnvironmentPostProcessor} did at start-up, which ran before this
 * context existed, and registers {@link OnnxNativeCacheProperties} for tooling.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(OrtEnvironment.class)
@EnableConfigurationProperties({ OnnxNativeCacheProperties.class, OnnxNativePathProperties.class })
public final class OnnxNativeCacheAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NativeLibraryCacheResult onnxNativeLibraryCacheResult() {
		return NativeLibraryCacheResults.last();
	}

}
