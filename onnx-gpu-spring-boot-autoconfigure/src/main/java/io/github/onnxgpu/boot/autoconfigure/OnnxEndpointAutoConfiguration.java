package io.github.onnxgpu.boot.autoconfigure;

import java.util.Map;

import ai.onnxruntime.OrtEnvironment;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.session.OnnxModelRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the {@link OnnxEndpoint}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OnnxAutoConfiguration.class)
@ConditionalOnClass({ OrtEnvironment.class, Endpoint.class })
@ConditionalOnAvailableEndpoint(OnnxEndpoint.class)
public class OnnxEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(OnnxModelRegistry.class)
	OnnxEndpoint onnxEndpoint(OnnxModelRegistry registry) {
		return new OnnxEndpoint(registry, Map.of());
	}

}
