package io.github.onnxgpu.boot.autoconfigure.openinference;

import ai.onnxruntime.OrtEnvironment;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.openinference.OpenInferenceService;
import io.github.onnxgpu.boot.internal.openinference.grpc.OpenInferenceGrpcService;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the Open Inference Protocol's gRPC service
 * ({@code onnx.open-inference.grpc.enabled}): {@code inference.GRPCInferenceService} as a
 * {@code BindableService} bean, which Spring gRPC's server serves on its port
 * ({@code spring.grpc.server.port}) with the application's interceptors. Without Spring
 * gRPC's server on the class path nothing of gRPC is loaded, and enabling it stops
 * start-up naming the dependency to add.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OnnxAutoConfiguration.class,
		beforeName = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration")
@ConditionalOnClass(OrtEnvironment.class)
@ConditionalOnBooleanProperty(OnnxOpenInferenceGrpcAutoConfiguration.ENABLED)
@EnableConfigurationProperties(OnnxOpenInferenceProperties.class)
public final class OnnxOpenInferenceGrpcAutoConfiguration {

	static final String ENABLED = OnnxOpenInferenceProperties.PREFIX + ".grpc.enabled";

	static final String GRPC_SERVER_FACTORY = "org.springframework.grpc.server.GrpcServerFactory";

	static final String BINDABLE_SERVICE = "io.grpc.BindableService";

	static final String PROTO_UTILS = "io.grpc.protobuf.ProtoUtils";

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ OnnxModelRegistry.class, OnnxInference.class })
	OpenInferenceService onnxOpenInferenceService(OnnxModelRegistry registry, OnnxInference inference,
			OrtEnvironment environment) {
		return OpenInferenceServices.create(registry, inference, environment);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { GRPC_SERVER_FACTORY, BINDABLE_SERVICE, PROTO_UTILS })
	@ConditionalOnBean({ OnnxModelRegistry.class, OnnxInference.class })
	static class GrpcServiceConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OpenInferenceGrpcService onnxOpenInferenceGrpcService(OpenInferenceService service) {
			return new OpenInferenceGrpcService(service);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(GrpcServerMissing.class)
	static class GrpcServerMissingConfiguration {

		@Bean
		Object onnxOpenInferenceGrpcServerMissing() {
			throw new OnnxModelException(null, ENABLED,
					"the Open Inference Protocol's gRPC service is enabled but Spring gRPC's server is not on the class path",
					"add the dependency org.springframework.grpc:spring-grpc-server-spring-boot-starter (Spring Boot 4.0; "
							+ "org.springframework.boot:spring-boot-starter-grpc-server on 4.1 and later), or set "
							+ ENABLED + "=false");
		}

	}

	static class GrpcServerMissing extends NoneNestedConditions {

		GrpcServerMissing() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnClass(name = { GRPC_SERVER_FACTORY, BINDABLE_SERVICE, PROTO_UTILS })
		static class Present {

		}

	}

}
