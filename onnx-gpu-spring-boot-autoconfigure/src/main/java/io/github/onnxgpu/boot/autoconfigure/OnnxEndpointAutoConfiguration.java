package io.github.onnxgpu.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

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
import io.github.onnxgpu.boot.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.session.OnnxModelRegistry;
import io.github.onnxgpu.boot.warmup.request.WarmupRequestRunner;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the {@link OnnxEndpoint}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { OnnxAutoConfiguration.class, OnnxNativeCacheAutoConfiguration.class })
@ConditionalOnClass({ OrtEnvironment.class, Endpoint.class })
@ConditionalOnAvailableEndpoint(OnnxEndpoint.class)
public class OnnxEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(OnnxModelRegistry.class)
	OnnxEndpoint onnxEndpoint(OnnxModelRegistry registry, ObjectProvider<NativeLibraryCacheResult> nativeCache,
			ObjectProvider<WarmupRequestRunner> warmupRequests) {
		return new OnnxEndpoint(registry, nativeLibraries(nativeCache.getIfAvailable()),
				() -> warmupRequests.stream().flatMap((runner) -> runner.results().stream()).toList());
	}

	private static Map<String, Object> nativeLibraries(NativeLibraryCacheResult cache) {
		Map<String, Object> nativeLibraries = new LinkedHashMap<>();
		// null: ONNX Runtime unpacked its libraries into a temporary folder of its own
		nativeLibraries.put("path", System.getProperty("onnxruntime.native.path"));
		if (cache != null) {
			nativeLibraries.put("cache", cache.status().name());
			nativeLibraries.put("cacheHit", cache.status() == NativeLibraryCacheResult.Status.HIT);
			nativeLibraries.put("cacheReason", cache.reason());
			nativeLibraries.put("cacheMillis", cache.timeSpent().toNanos() / 1e6);
		}
		return nativeLibraries;
	}

}
