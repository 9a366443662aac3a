package io.github.onnxgpu.boot.autoconfigure.openinference;

import ai.onnxruntime.OrtEnvironment;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.openinference.OpenInferenceService;
import io.github.onnxgpu.boot.internal.openinference.rest.OpenInferenceRestRoutes;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the Open Inference Protocol's REST endpoints
 * ({@code onnx.open-inference.rest.enabled}): {@code /v2/...} on the application's Spring
 * MVC web server, as functional routes, so that the application's own security, filters
 * and observations apply to them as to its controllers.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OnnxAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ RouterFunction.class, JsonMapper.class, OrtEnvironment.class })
@ConditionalOnBooleanProperty(OnnxOpenInferenceProperties.PREFIX + ".rest.enabled")
@ConditionalOnBean({ OnnxModelRegistry.class, OnnxInference.class })
@EnableConfigurationProperties(OnnxOpenInferenceProperties.class)
public final class OnnxOpenInferenceRestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OpenInferenceService onnxOpenInferenceService(OnnxModelRegistry registry, OnnxInference inference,
			OrtEnvironment environment) {
		return OpenInferenceServices.create(registry, inference, environment);
	}

	@Bean
	@ConditionalOnMissingBean(name = "onnxOpenInferenceRoutes")
	RouterFunction<ServerResponse> onnxOpenInferenceRoutes(OpenInferenceService service,
			OnnxOpenInferenceProperties properties) {
		return new OpenInferenceRestRoutes(service, JsonMapper.builder().build(),
				properties.getRest().getMaxRequestSize())
			.routes();
	}

}
