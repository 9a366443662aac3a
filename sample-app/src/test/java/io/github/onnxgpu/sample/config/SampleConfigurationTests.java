package io.github.onnxgpu.sample.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.model.ArenaExtendStrategy;
import io.github.onnxgpu.boot.model.CudaFallback;
import io.github.onnxgpu.boot.model.CudnnConvAlgoSearch;
import io.github.onnxgpu.sample.predict.PredictProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code application.yml} and {@code gpu} profile bind completely (a
 * misspelt key in documentation users copy fails here) and say what their comments say.
 */
class SampleConfigurationTests {

	@Test
	void applicationYmlBindsEveryOnnxAndSampleKey() {
		Binder binder = SampleConfiguration.binder(SampleConfiguration.sources());
		OnnxProperties onnx = binder.bindOrCreate("onnx", Bindable.of(OnnxProperties.class),
				new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
		assertThat(onnx.getCuda().getFallback()).isEqualTo(CudaFallback.CPU);
		assertThat(onnx.getModels()).containsOnlyKeys("detector");
		assertThat(onnx.getModels().get("detector").getWarmup().getShapes()).hasSize(3)
			.allSatisfy((shape) -> assertThat(shape).containsOnlyKeys("image"));
		assertThat(onnx.getWarmup().getRequests()).hasSize(3).allSatisfy((request) -> {
			assertThat(request.getPath()).isEqualTo("/predict");
			assertThat(request.getBody()).matches((body) -> body.exists(), "exists");
		});
		PredictProperties predict = binder.bindOrCreate("sample.predict", Bindable.of(PredictProperties.class),
				new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
		assertThat(predict.getModel()).isEqualTo("detector");
	}

	@Test
	void applicationYmlExposesOnnxHealthMetricsAndPrometheusOnPort8080() {
		Binder binder = SampleConfiguration.binder(SampleConfiguration.sources());
		assertThat(binder.bind("server.port", Integer.class).get()).isEqualTo(8080);
		assertThat(binder.bind("management.endpoints.web.exposure.include", Bindable.listOf(String.class)).get())
			.containsExactlyInAnyOrder("onnx", "health", "metrics", "prometheus");
		assertThat(binder.bind("management.endpoint.health.probes.enabled", Boolean.class).get()).isTrue();
	}

	@Test
	void gpuProfileFailsWithoutCudaAndSetsRealisticCudaOptions() {
		Binder binder = SampleConfiguration.binder(SampleConfiguration.sources("gpu"));
		OnnxProperties onnx = binder.bindOrCreate("onnx", Bindable.of(OnnxProperties.class),
				new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
		assertThat(onnx.getCuda().getFallback()).isEqualTo(CudaFallback.FAIL);
		assertThat(onnx.getCuda().getCudnnConvAlgoSearch()).isEqualTo(CudnnConvAlgoSearch.EXHAUSTIVE);
		assertThat(onnx.getCuda().getGpuMemLimit()).isEqualTo(DataSize.ofGigabytes(2));
		assertThat(onnx.getCuda().getArenaExtendStrategy()).isEqualTo(ArenaExtendStrategy.SAME_AS_REQUESTED);
		assertThat(onnx.getWarmup().getTimeout()).isEqualTo(Duration.ofMinutes(5));
		// everything else comes from application.yml
		assertThat(onnx.getModels().get("detector").getWarmup().getShapes()).hasSize(3);
	}

}
