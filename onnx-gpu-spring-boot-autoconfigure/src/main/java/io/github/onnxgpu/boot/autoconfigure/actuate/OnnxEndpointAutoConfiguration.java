package io.github.onnxgpu.boot.autoconfigure.actuate;

import ai.onnxruntime.OrtEnvironment;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativeCacheAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.reload.OnnxReloadAutoConfiguration;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.internal.provider.NvidiaDriverProbe;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.ModelReloader;
import io.github.onnxgpu.boot.internal.warmup.request.WarmupRequestRunner;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the {@link OnnxEndpoint}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { OnnxAutoConfiguration.class, OnnxNativeCacheAutoConfiguration.class,
		OnnxReloadAutoConfiguration.class })
@ConditionalOnClass({ OrtEnvironment.class, Endpoint.class })
@ConditionalOnAvailableEndpoint(OnnxEndpoint.class)
public final class OnnxEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ManagedModelRegistry.class)
	OnnxEndpoint onnxEndpoint(ManagedModelRegistry registry, ObjectProvider<NativeLibraryCacheResult> nativeCache,
			ObjectProvider<WarmupRequestRunner> warmupRequests, ObjectProvider<ModelReloader> reloader,
			ObjectProvider<OnnxProperties> properties) {
		// the sessions' own probe setting: where it skips CUDA, so does the provider list
		OnnxProperties onnx = properties.getIfAvailable();
		boolean probe = onnx == null || onnx.getCuda().isProbe();
		return new OnnxEndpoint(registry, nativeCache.getIfAvailable(),
				() -> warmupRequests.stream().flatMap((runner) -> runner.results().stream()).toList(),
				reloader.getIfAvailable(), probe ? new NvidiaDriverProbe() : null);
	}

}
