package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.actuate.OnnxEndpointAutoConfiguration;
import io.github.onnxgpu.boot.model.OnnxBinding;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.test.EndpointJson;
import io.github.onnxgpu.boot.test.ModelFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

/**
 * Tests that an {@link OrtEnvironment} bean the user defines is the one the starter uses:
 * ONNX Runtime keeps one environment per JVM, so the user's is told apart by a spy that
 * answers with its own version and devices.
 */
class UserOrtEnvironmentTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class, OnnxEndpointAutoConfiguration.class))
		.withUserConfiguration(UserEnvironment.class)
		.withPropertyValues("onnx.cuda.enabled=false", "management.endpoints.web.exposure.include=onnx");

	@Test
	void inferenceAndEndpointUseTheUsersEnvironment() throws OrtException {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.shapes[0].x=1x3x16x16")
			.run((context) -> {
				OrtEnvironment users = context.getBean(OrtEnvironment.class);
				assertThat(context.getBean(DefaultOnnxInference.class).environment()).isSameAs(users);
				try (OnnxBinding binding = context.getBean(OnnxInference.class)
					.binding("detector", Map.of("x", new long[] { 1, 3, 16, 16 }))) {
					binding.run();
				}
				var onnx = EndpointJson.json(context.getBean(OnnxEndpoint.class).onnx());
				assertThat(onnx.path("onnxRuntimeVersion").asString()).isEqualTo("the user's environment");
				assertThat(onnx.path("devices").isEmpty()).isTrue();
				verify(users, atLeastOnce()).getEpDevices();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserEnvironment {

		// ONNX Runtime's environment is per JVM: never closed by a context
		@Bean(destroyMethod = "")
		OrtEnvironment userEnvironment() throws OrtException {
			OrtEnvironment environment = spy(OrtEnvironment.getEnvironment());
			doReturn("the user's environment").when(environment).getVersion();
			doReturn(List.<OrtEpDevice>of()).when(environment).getEpDevices();
			return environment;
		}

	}

}
