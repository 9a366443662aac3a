package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.ClassPathResource;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.provider.TensorrtProviderInstaller;
import io.github.onnxgpu.boot.internal.provider.TensorrtSettings;
import io.github.onnxgpu.boot.internal.provider.TensorrtSetup;
import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;
import io.github.onnxgpu.boot.model.ProfileShapes;
import io.github.onnxgpu.boot.test.ProviderLibrary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link TensorrtOptionsMapper}: typed properties become ONNX Runtime's exact
 * TensorRT option names and spellings, and bad values stop start-up.
 */
class TensorrtOptionsMapperTests {

	@TempDir
	Path cache;

	@Test
	void typedPropertiesMapToOrtKeysAndSpellings() {
		TensorrtSettings settings = map(every());
		assertThat(settings.enabled()).isTrue();
		assertThat(settings.options()).containsExactly(Map.entry("trt_fp16_enable", "1"),
				Map.entry("trt_max_workspace_size", "1073741824"), Map.entry("trt_builder_optimization_level", "5"));
		assertThat(settings.engineCache()).isTrue();
		assertThat(settings.timingCache()).isFalse();
		assertThat(settings.profileShapes()).isEqualTo(ProfileShapes.AUTO);
	}

	@Test
	void nothingSetSendsNothingAndTensorrtStaysOff() {
		TensorrtSettings settings = map(Map.of());
		assertThat(settings.enabled()).isFalse();
		assertThat(settings.options()).isEmpty();
		assertThat(settings.engineCache()).isTrue();
		assertThat(settings.timingCache()).isTrue();
		assertThat(settings.engineCacheRoot()).isNull();
		assertThat(settings.profile()).isNull();
	}

	@Test
	void modelOverridesSharedValuesAndRawKeysPassThrough() {
		TensorrtSettings settings = map(Map.of("onnx.tensorrt.fp16", "true", "onnx.tensorrt.enabled", "true",
				"onnx.tensorrt.engine-cache.directory", "/shared", "onnx.models.m.tensorrt.fp16", "false",
				"onnx.models.m.tensorrt.engine-cache.directory", "/own", "onnx.models.m.tensorrt.profile-shapes",
				"none", "onnx.tensorrt.options.trt_sparsity_enable", "1",
				"onnx.models.m.tensorrt.options.trt_fp16_enable", "1"));
		assertThat(settings.options()).containsExactly(Map.entry("trt_fp16_enable", "1"),
				Map.entry("trt_sparsity_enable", "1"));
		assertThat(settings.engineCacheRoot()).isEqualTo(Path.of("/own"));
		assertThat(settings.profileShapes()).isEqualTo(ProfileShapes.NONE);
	}

	@Test
	void explicitProfileIsParsed() {
		TensorrtSettings settings = map(
				Map.of("onnx.models.m.tensorrt.profile.min.x", "1x3x320x320", "onnx.models.m.tensorrt.profile.opt.x",
						"1x3x640x640", "onnx.models.m.tensorrt.profile.max.x", "1x3x1280x1280"));
		assertThat(settings.profile().options()).containsEntry("trt_profile_min_shapes", "x:1x3x320x320")
			.containsEntry("trt_profile_opt_shapes", "x:1x3x640x640")
			.containsEntry("trt_profile_max_shapes", "x:1x3x1280x1280");
	}

	@Test
	void profileShapesReadTheWarmupShapesGrammar() {
		TensorrtSettings settings = map(
				Map.of("onnx.models.m.tensorrt.profile.min.x", "1,3,320,320", "onnx.models.m.tensorrt.profile.opt.x",
						" 1 X 3 x 640 x 640 ", "onnx.models.m.tensorrt.profile.max.x", "1x3x1280x1280"));
		assertThat(settings.profile().options()).containsEntry("trt_profile_min_shapes", "x:1x3x320x320")
			.containsEntry("trt_profile_opt_shapes", "x:1x3x640x640");
	}

	@Test
	void workspaceOfZeroStopsStartupNamingTheProperty() {
		assertFailure(Map.of("onnx.tensorrt.max-workspace-size", "0B"), "onnx.tensorrt.max-workspace-size",
				"workspace must be larger than 0", "1GB");
		assertFailure(Map.of("onnx.models.m.tensorrt.max-workspace-size", "0B"),
				"onnx.models.m.tensorrt.max-workspace-size", "larger than 0", "1GB");
	}

	@Test
	void builderOptimizationLevelOutOfRangeStopsStartup() {
		assertFailure(Map.of("onnx.tensorrt.builder-optimization-level", "7"),
				"onnx.tensorrt.builder-optimization-level", "must be 0 to 5 but is 7", "0 (fastest build)");
	}

	@Test
	void profileWithMinLargerThanMaxStopsStartup() {
		assertFailure(
				Map.of("onnx.models.m.tensorrt.profile.min.x", "1x3x640x640", "onnx.models.m.tensorrt.profile.opt.x",
						"1x3x640x640", "onnx.models.m.tensorrt.profile.max.x", "1x3x320x320"),
				"onnx.models.m.tensorrt.profile.max.x", "needs min <= opt <= max", "max the largest shape");
	}

	@Test
	void profileWithDifferentRanksOrAMissingShapeStopsStartup() {
		assertFailure(
				Map.of("onnx.models.m.tensorrt.profile.min.x", "1x3x64", "onnx.models.m.tensorrt.profile.opt.x",
						"1x3x64x64", "onnx.models.m.tensorrt.profile.max.x", "1x3x64x64"),
				"onnx.models.m.tensorrt.profile.max.x", "different ranks", "same number of dimensions");
		assertFailure(Map.of("onnx.models.m.tensorrt.profile.min.x", "1x3x64x64",
				"onnx.models.m.tensorrt.profile.max.x", "1x3x64x64"), "onnx.models.m.tensorrt.profile.opt.x",
				"no opt shape", "min, an opt and a max");
		assertFailure(Map.of("onnx.models.m.tensorrt.profile.min.x", "1x3xHx64"),
				"onnx.models.m.tensorrt.profile.min.x", "not all positive whole numbers", "1x3x640x640");
		// the warmup shapes' grammar: a scalar has no dimension to profile
		assertFailure(Map.of("onnx.models.m.tensorrt.profile.min.x", "scalar"), "onnx.models.m.tensorrt.profile.min.x",
				"not all positive whole numbers", "1x3x640x640");
		assertFailure(Map.of("onnx.models.m.tensorrt.profile.min.x", "1x3x64x"), "onnx.models.m.tensorrt.profile.min.x",
				"not all positive whole numbers", "1x3x640x640");
	}

	@Test
	void tensorrtCudaGraphIsRejectedWithTheReason() {
		assertFailure(Map.of("onnx.models.m.tensorrt.options.trt_cuda_graph_enable", "1"),
				"onnx.models.m.tensorrt.options.trt_cuda_graph_enable", "IoBinding", "remove");
	}

	@Test
	void providerOptionsStringHoldsExactlyTheOptionsSent() throws Exception {
		TensorrtSetup setup = prepared();
		// needs the GPU artifact: the CPU one has no TensorRT provider options at all
		assumeThat(ProviderLibrary.TENSORRT.isShipped()).as("TensorRT provider library in the ONNX Runtime jar")
			.isTrue();
		try (OrtTensorRTProviderOptions options = TensorrtProviderInstaller.providerOptions(setup.options())) {
			assertThat(ProviderLibrary.parseOptions(options.getOptionsString())).isEqualTo(setup.options());
		}
	}

	@Test
	void everySentKeyIsKnownToTheShippedTensorrtProvider() throws Exception {
		assumeThat(ProviderLibrary.TENSORRT.isShipped()).as("TensorRT provider library in the ONNX Runtime jar")
			.isTrue();
		Set<String> words = ProviderLibrary.TENSORRT.identifiers();
		assertThat(words).containsAll(prepared().options().keySet());
	}

	@Test
	void optionKeysHintListsExactlyTheKeysTheStarterSends() throws IOException {
		String metadata;
		try (InputStream input = new ClassPathResource("META-INF/spring-configuration-metadata.json")
			.getInputStream()) {
			metadata = new String(input.readAllBytes());
		}
		List<String> hinted = JsonPath.read(metadata,
				"$.hints[?(@.name == 'onnx.tensorrt.options.keys')].values[*].value");
		assertThat(hinted).containsExactlyInAnyOrderElementsOf(prepared().options().keySet());
	}

	private TensorrtSetup prepared() {
		Map<String, String> properties = new LinkedHashMap<>(every());
		properties.put("onnx.tensorrt.timing-cache.enabled", "true");
		properties.put("onnx.tensorrt.engine-cache.directory", this.cache.toString());
		properties.put("onnx.tensorrt.timing-cache.directory", this.cache.toString());
		return map(properties).prepare("m", () -> "aa", "1.29.0", Map.of("x", new long[] { -1, 3, -1, -1 }),
				List.of(new ResolvedShape(0, Map.of("x", new long[] { 1, 3, 64, 64 }))));
	}

	private static void assertFailure(Map<String, String> properties, String property, String problem, String action) {
		assertThatExceptionOfType(OnnxModelException.class).isThrownBy(() -> map(properties)).satisfies((ex) -> {
			assertThat(ex.getModelName()).isEqualTo("m");
			assertThat(ex.getProperty()).isEqualTo(property);
			assertThat(ex).hasMessageContaining(problem);
			assertThat(ex.getAction()).contains(action);
		});
	}

	private static TensorrtSettings map(Map<String, String> properties) {
		Map<String, String> withModel = new LinkedHashMap<>(properties);
		withModel.putIfAbsent("onnx.models.m.location", "classpath:/m.onnx");
		OnnxProperties bound = new Binder(new MapConfigurationPropertySource(withModel))
			.bind("onnx", Bindable.of(OnnxProperties.class))
			.get();
		OnnxModelProperties model = bound.getModels().get("m");
		return TensorrtOptionsMapper.map("m", bound.getTensorrt(), model.getTensorrt(),
				CudaOptionsMapper.map("m", bound.getCuda(), model.getCuda()));
	}

	private static Map<String, String> every() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("onnx.tensorrt.enabled", "true");
		properties.put("onnx.tensorrt.fp16", "true");
		properties.put("onnx.tensorrt.max-workspace-size", "1GB");
		properties.put("onnx.tensorrt.builder-optimization-level", "5");
		properties.put("onnx.tensorrt.timing-cache.enabled", "false");
		properties.put("onnx.tensorrt.profile-shapes", "auto");
		return properties;
	}

}
