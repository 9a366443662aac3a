package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.ClassPathResource;

import io.github.onnxgpu.boot.internal.session.ModelDefinition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the configuration metadata that IDEs show for {@code onnx.*} properties.
 */
class ConfigurationMetadataTests {

	@Test
	void everyPropertyIsDescribedAndBooleansSayWhether() throws IOException {
		List<Map<String, Object>> properties = JsonPath.read(metadata(), "$.properties[?(@.name =~ /onnx\\..*/)]");
		assertThat(properties).hasSizeGreaterThan(25);
		assertThat(properties).allSatisfy((property) -> {
			assertThat((String) property.get("description")).as("description of %s", property.get("name")).isNotBlank();
			if ("java.lang.Boolean".equals(property.get("type"))) {
				assertThat((String) property.get("description")).as("description of %s", property.get("name"))
					.startsWith("Whether");
			}
		});
	}

	@Test
	void rawOptionKeysHintListsExactlyTheKeysTheStarterMaps() throws IOException {
		List<String> hinted = JsonPath.read(metadata(),
				"$.hints[?(@.name == 'onnx.cuda.options.keys')].values[*].value");
		Map<String, String> every = Map.ofEntries(Map.entry("onnx.cuda.device-id", "0"),
				Map.entry("onnx.cuda.cudnn-conv-algo-search", "HEURISTIC"),
				Map.entry("onnx.cuda.cudnn-conv-use-max-workspace", "true"),
				Map.entry("onnx.cuda.cudnn-conv1d-pad-to-nc1d", "true"), Map.entry("onnx.cuda.gpu-mem-limit", "1GB"),
				Map.entry("onnx.cuda.arena-extend-strategy", "same-as-requested"),
				Map.entry("onnx.cuda.do-copy-in-default-stream", "true"), Map.entry("onnx.cuda.use-tf32", "true"),
				Map.entry("onnx.cuda.prefer-nhwc", "true"), Map.entry("onnx.cuda.enable-cuda-graph", "false"),
				Map.entry("onnx.cuda.enable-skip-layer-norm-strict-mode", "true"),
				Map.entry("onnx.cuda.use-ep-level-unified-stream", "true"),
				Map.entry("onnx.cuda.tunable-op-enable", "true"),
				Map.entry("onnx.cuda.tunable-op-tuning-enable", "true"),
				Map.entry("onnx.cuda.tunable-op-max-tuning-duration", "1s"), Map.entry("onnx.cuda.sdpa-kernel", "1"),
				Map.entry("onnx.cuda.fuse-conv-bias", "true"), Map.entry("onnx.models.m.location", "classpath:/m"));
		OnnxProperties properties = new Binder(new MapConfigurationPropertySource(every))
			.bind("onnx", Bindable.of(OnnxProperties.class))
			.get();
		Map<String, String> mapped = CudaOptionsMapper
			.map("m", properties.getCuda(), properties.getModels().get("m").getCuda())
			.options();
		assertThat(hinted).containsExactlyInAnyOrderElementsOf(mapped.keySet());
	}

	@Test
	void documentedDefaultsAreTheSettingsOfAModelThatSetsNothing() throws IOException {
		OnnxProperties properties = new Binder(
				new MapConfigurationPropertySource(Map.of("onnx.models.m.location", "classpath:/m")))
			.bind("onnx", Bindable.of(OnnxProperties.class))
			.get();
		ModelDefinition model = OnnxModelDefinitions.from(properties).get(0);
		assertThat(defaultValue("onnx.cuda.enabled")).isEqualTo(model.cuda().enabled());
		assertThat(defaultValue("onnx.cuda.fallback")).isEqualTo(model.cuda().fallback().name().toLowerCase());
		assertThat(defaultValue("onnx.warmup.enabled")).isEqualTo(model.warmup().enabled());
		assertThat(defaultValue("onnx.warmup.iterations")).isEqualTo(model.warmup().iterations());
		assertThat(DurationStyle.detectAndParse((String) defaultValue("onnx.warmup.timeout")))
			.isEqualTo(model.warmup().timeout());
		assertThat(defaultValue("onnx.warmup.on-failure"))
			.isEqualTo(model.warmup().onFailure().name().toLowerCase().replace('_', '-'));
		assertThat(defaultValue("onnx.warmup.data")).isEqualTo(model.warmup().data().name().toLowerCase());
		assertThat(defaultValue("onnx.warmup.parallelism")).isEqualTo(properties.getWarmup().getParallelism());
		assertThat(defaultValue("onnx.cuda.probe")).isEqualTo(properties.getCuda().isProbe());
		assertThat(defaultValue("onnx.tensorrt.enabled")).isEqualTo(model.tensorrt().enabled());
		assertThat(defaultValue("onnx.tensorrt.engine-cache.enabled")).isEqualTo(model.tensorrt().engineCache());
		assertThat(defaultValue("onnx.tensorrt.timing-cache.enabled")).isEqualTo(model.tensorrt().timingCache());
		assertThat(defaultValue("onnx.tensorrt.profile-shapes"))
			.isEqualTo(model.tensorrt().profileShapes().name().toLowerCase());
	}

	private static Object defaultValue(String property) throws IOException {
		List<Object> values = JsonPath.read(metadata(), "$.properties[?(@.name == '" + property + "')].defaultValue");
		assertThat(values).as("default of %s", property).hasSize(1);
		return values.get(0);
	}

	private static String metadata() throws IOException {
		try (InputStream input = new ClassPathResource("META-INF/spring-configuration-metadata.json")
			.getInputStream()) {
			return new String(input.readAllBytes());
		}
	}

}
