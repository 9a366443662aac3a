package io.github.onnxgpu.boot.autoconfigure.actuate;

import ai.onnxruntime.OrtEnvironment;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.actuate.OnnxEndpointWebExtension;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativeCacheAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.reload.OnnxReloadAutoConfiguration;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;

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
	OnnxEndpoint onnxEndpoint(BeanFactory beanFactory, ObjectProvider<OnnxProperties> properties) {
		// the sessions' own probe setting: where it skips CUDA, so does the provider list
		OnnxProperties onnx = properties.getIfAvailable();
		return new OnnxEndpoint(beanFactory, onnx == null || onnx.getCuda().isProbe());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(OnnxEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	OnnxEndpointWebExtension onnxEndpointWebExtension(OnnxEndpoint endpoint) {
		return new OnnxEndpointWebExtension(endpoint);
	}

}
