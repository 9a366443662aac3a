package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.test.ModelFiles;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OnnxEndpointAutoConfiguration}.
 */
class OnnxEndpointAutoConfigurationTests {

	@TempDir
	Path models;

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class, OnnxEndpointAutoConfiguration.class))
		.withPropertyValues("onnx.cuda.enabled=false");

	@Test
	void endpointIsNotAvailableUnlessExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(OnnxEndpoint.class));
	}

	@Test
	void endpointIsAvailableWhenExposedOverHttp() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=onnx")
			.run((context) -> assertThat(context).hasSingleBean(OnnxEndpoint.class));
	}

	@Test
	void endpointIsNotAvailableWhenAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=onnx", "management.endpoint.onnx.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(OnnxEndpoint.class));
	}

	@Test
	void endpointBacksOffWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=onnx")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OnnxEndpoint.class));
	}

	@Test
	void userEndpointWins() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=onnx")
			.withBean("myOnnxEndpoint", OnnxEndpoint.class,
					() -> new OnnxEndpoint(null, null))
			.run((context) -> assertThat(context).hasSingleBean(OnnxEndpoint.class).hasBean("myOnnxEndpoint"));
	}

	@Test
	void endpointDescribesEachModel() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=onnx",
				"onnx.models.detector.location=" + ModelFiles.convNet(this.models),
				"onnx.models.detector.warmup.shapes[0].x=1x3x16x16")
			.run((context) -> {
				OnnxEndpoint endpoint = context.getBean(OnnxEndpoint.class);
				assertThat(endpoint.onnx().models()).containsOnlyKeys("detector");
				assertThat(endpoint.model("detector").inputs().get("x").shape()).containsExactly(-1, 3, -1, -1);
				assertThat(endpoint.model("nope")).isNull();
			});
	}

}
