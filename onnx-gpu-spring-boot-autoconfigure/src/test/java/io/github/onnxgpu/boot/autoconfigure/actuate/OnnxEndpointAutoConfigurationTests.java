package io.github.onnxgpu.boot.autoconfigure.actuate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult.Status;
import io.github.onnxgpu.boot.internal.provider.NvidiaDriverProbe;
import io.github.onnxgpu.boot.test.EndpointJson;
import io.github.onnxgpu.boot.test.GpuAvailability;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.ProviderLibrary;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

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
			.withPropertyValues("management.endpoints.web.exposure.include=onnx",
					"management.endpoint.onnx.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(OnnxEndpoint.class));
	}

	@Test
	void endpointBacksOffWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=onnx")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OnnxEndpoint.class));
	}

	@Test
	void providerListFollowsTheCudaProbeSetting() throws Exception {
		String noDriver = new NvidiaDriverProbe().absenceReason();
		assumeThat(noDriver).as("a host without an NVIDIA driver").isNotNull();
		assumeThat(ProviderLibrary.CUDA.isShipped()).as("the GPU artifact").isTrue();
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=onnx").run((context) -> {
			Map<String, Object> cuda = cuda(context.getBean(OnnxEndpoint.class));
			assertThat(cuda).containsEntry("loadable", false).containsEntry("reason", noDriver);
		});
		// onnx.cuda.probe=false: CUDA is tried, as the sessions try it, and ONNX Runtime
		// says why it does not load
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=onnx", "onnx.cuda.probe=false")
			.run((context) -> {
				Map<String, Object> cuda = cuda(context.getBean(OnnxEndpoint.class));
				assertThat(cuda).containsEntry("loadable", false);
				assertThat((String) cuda.get("reason")).isNotBlank().isNotEqualTo(noDriver);
				assertThat(GpuAvailability.failure()).contains((String) cuda.get("reason"));
			});
	}

	private static Map<String, Object> cuda(OnnxEndpoint endpoint) {
		Map<String, Object> cuda = EndpointJson.map(EndpointJson.json(endpoint.onnx()).path("providers").get(1));
		assertThat(cuda).containsEntry("name", "CUDA");
		return cuda;
	}

	@Test
	void userEndpointWins() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=onnx")
			.withBean("myOnnxEndpoint", OnnxEndpoint.class,
					() -> new OnnxEndpoint(new DefaultListableBeanFactory(), false))
			.run((context) -> assertThat(context).hasSingleBean(OnnxEndpoint.class).hasBean("myOnnxEndpoint"));
	}

	@Test
	void endpointShowsEveryNativeLibrariesKeyWhenCacheFailed() {
		String nativePath = System.clearProperty("onnxruntime.native.path");
		try {
			this.contextRunner.withConfiguration(AutoConfigurations.of(JacksonEndpointAutoConfiguration.class))
				.withPropertyValues("management.endpoints.web.exposure.include=onnx")
				.withBean(NativeLibraryCacheResult.class,
						() -> NativeLibraryCacheResult.without(Status.FAILED, "the cache in /nope cannot be used",
								Duration.ofMillis(2)))
				.run((context) -> {
					OnnxEndpoint endpoint = context.getBean(OnnxEndpoint.class);
					// the actuator's own mapper leaves out nulls unless told otherwise
					String json = context.getBean(EndpointJsonMapper.class).get().writeValueAsString(endpoint.onnx());
					Map<String, Object> nativeLibraries = JsonPath.parse(json).read("$.nativeLibraries");
					assertThat(nativeLibraries).containsEntry("path", null)
						.containsEntry("cache", "FAILED")
						.containsEntry("cacheHit", false)
						.containsEntry("cacheReason", "the cache in /nope cannot be used")
						.containsEntry("cacheMillis", 2.0);
				});
		}
		finally {
			if (nativePath != null) {
				System.setProperty("onnxruntime.native.path", nativePath);
			}
		}
	}

	@Test
	void endpointShowsInstancesAndBatching() {
		String location = ModelFiles.write(this.models, "scaled.onnx", TestModels.scaledByScalar());
		this.contextRunner.withConfiguration(AutoConfigurations.of(JacksonEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=onnx",
					"onnx.models.scaled.location=" + location, "onnx.models.scaled.instances=2",
					"onnx.models.scaled.batching.enabled=true", "onnx.models.scaled.batching.max-batch-size=8",
					"onnx.models.scaled.batching.workers=3", "onnx.models.scaled.warmup.shapes[0].x=1x4")
			.run((context) -> {
				OnnxEndpoint endpoint = context.getBean(OnnxEndpoint.class);
				String json = context.getBean(EndpointJsonMapper.class)
					.get()
					.writeValueAsString(endpoint.model("scaled"));
				assertThat(JsonPath.parse(json).<List<Object>>read("$.instances")).hasSize(2);
				assertThat(JsonPath.parse(json).<String>read("$.instances[1].provider")).isEqualTo("CPU");
				assertThat(JsonPath.parse(json).<Integer>read("$.instances[1].inFlight")).isZero();
				assertThat(JsonPath.parse(json).<List<Integer>>read("$.batching.batchSizes")).containsExactly(1, 2, 4,
						8);
				assertThat(JsonPath.parse(json).<Integer>read("$.batching.workers")).isEqualTo(3);
				assertThat(JsonPath.parse(json).<Integer>read("$.batching.queueDepth")).isZero();
				assertThat(JsonPath.parse(json).<Map<String, Integer>>read("$.batching.inputDimensions"))
					.containsEntry("x", 0)
					.containsEntry("scale", -1);
				assertThat(JsonPath.parse(json).<Map<String, Integer>>read("$.batching.outputDimensions"))
					.containsEntry("y", 0);
			});
	}

	@Test
	void endpointShowsEveryNativeLibrariesKeyWithoutCacheResult() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(JacksonEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=onnx")
			.run((context) -> {
				OnnxEndpoint endpoint = context.getBean(OnnxEndpoint.class);
				String json = context.getBean(EndpointJsonMapper.class).get().writeValueAsString(endpoint.onnx());
				Map<String, Object> nativeLibraries = JsonPath.parse(json).read("$.nativeLibraries");
				assertThat(nativeLibraries).containsOnlyKeys("path", "cache", "cacheHit", "cacheReason", "cacheMillis")
					.containsEntry("cache", null)
					.containsEntry("cacheHit", null);
			});
	}

	@Test
	void endpointDescribesEachModel() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=onnx",
					"onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.shapes[0].x=1x3x16x16")
			.run((context) -> {
				OnnxEndpoint endpoint = context.getBean(OnnxEndpoint.class);
				assertThat(EndpointJson.map(EndpointJson.json(endpoint.onnx()).path("models")))
					.containsOnlyKeys("detector");
				assertThat(EndpointJson
					.longs(EndpointJson.json(endpoint.model("detector")).path("inputs").path("x").path("shape")))
					.containsExactly(-1L, 3L, -1L, -1L);
				assertThat(endpoint.model("nope")).isNull();
			});
	}

}
