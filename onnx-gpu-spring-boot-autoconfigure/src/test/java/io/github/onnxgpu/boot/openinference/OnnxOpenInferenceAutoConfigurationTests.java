package io.github.onnxgpu.boot.openinference;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.function.RouterFunction;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceGrpcAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceRestAutoConfiguration;
import io.github.onnxgpu.boot.internal.openinference.OpenInferenceService;
import io.github.onnxgpu.boot.internal.openinference.grpc.OpenInferenceGrpcService;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests when the protocol's REST routes and gRPC service are configured: off by default,
 * on by property, REST only in a servlet application, gRPC only with Spring gRPC's server
 * on the class path, and gRPC enabled without it stops start-up naming the dependency to
 * add.
 */
class OnnxOpenInferenceAutoConfigurationTests {

	@TempDir
	Path models;

	private WebApplicationContextRunner web() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class,
					OnnxOpenInferenceRestAutoConfiguration.class, OnnxOpenInferenceGrpcAutoConfiguration.class))
			.withPropertyValues("onnx.cuda.enabled=false",
					"onnx.models.scaled.location="
							+ ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar()),
					"onnx.models.scaled.warmup.enabled=false");
	}

	@Test
	void offByDefault() {
		web().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(OpenInferenceService.class);
			assertThat(context).doesNotHaveBean(RouterFunction.class);
			assertThat(context).doesNotHaveBean(OpenInferenceGrpcService.class);
		});
	}

	@Test
	void restRoutesWhenEnabled() {
		web().withPropertyValues("onnx.open-inference.rest.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(OpenInferenceService.class);
			assertThat(context).hasBean("onnxOpenInferenceRoutes");
			assertThat(context).doesNotHaveBean(OpenInferenceGrpcService.class);
		});
	}

	@Test
	void noRestRoutesOutsideAServletApplication() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OnnxAutoConfiguration.class, OnnxOpenInferenceRestAutoConfiguration.class))
			.withPropertyValues("onnx.cuda.enabled=false", "onnx.open-inference.rest.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean("onnxOpenInferenceRoutes"));
	}

	@Test
	void grpcServiceWhenEnabled() {
		web().withPropertyValues("onnx.open-inference.grpc.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(OpenInferenceGrpcService.class);
			assertThat(context).hasSingleBean(OpenInferenceService.class);
		});
	}

	@Test
	void noGrpcWithoutSpringGrpcWhenDisabled() {
		web().withClassLoader(new FilteredClassLoader("org.springframework.grpc", "io.grpc"))
			.withPropertyValues("onnx.open-inference.rest.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(OpenInferenceGrpcService.class);
			});
	}

	@Test
	void grpcEnabledWithoutSpringGrpcStopsStartUpNamingTheDependency() {
		web().withClassLoader(new FilteredClassLoader("org.springframework.grpc.server"))
			.withPropertyValues("onnx.open-inference.grpc.enabled=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(OnnxModelException.class)
					.hasMessageContaining("onnx.open-inference.grpc.enabled")
					.hasMessageContaining("org.springframework.grpc:spring-grpc-server-spring-boot-starter");
			});
	}

}
