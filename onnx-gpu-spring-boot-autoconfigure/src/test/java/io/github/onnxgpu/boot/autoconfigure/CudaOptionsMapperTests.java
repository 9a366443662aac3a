package io.github.onnxgpu.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller;
import io.github.onnxgpu.boot.internal.provider.CudaSettings;
import io.github.onnxgpu.boot.model.CudaFallback;
import io.github.onnxgpu.boot.test.ProviderLibrary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link CudaOptionsMapper}: each typed property becomes ONNX Runtime's exact
 * CUDA option name and value spelling.
 */
class CudaOptionsMapperTests {

	private static final Map<String, String> EVERY_KEY = every();

	@Test
	void everyTypedPropertyMapsToOrtKeyAndSpelling() {
		CudaSettings settings = map(EVERY_KEY);
		assertThat(settings.options()).containsExactly(Map.entry("device_id", "1"),
				Map.entry("cudnn_conv_algo_search", "HEURISTIC"), Map.entry("cudnn_conv_use_max_workspace", "0"),
				Map.entry("cudnn_conv1d_pad_to_nc1d", "1"), Map.entry("gpu_mem_limit", "4294967296"),
				Map.entry("arena_extend_strategy", "kSameAsRequested"), Map.entry("do_copy_in_default_stream", "0"),
				Map.entry("use_tf32", "0"), Map.entry("prefer_nhwc", "1"), Map.entry("enable_cuda_graph", "0"),
				Map.entry("enable_skip_layer_norm_strict_mode", "1"), Map.entry("use_ep_level_unified_stream", "1"),
				Map.entry("tunable_op_enable", "1"), Map.entry("tunable_op_tuning_enable", "1"),
				Map.entry("tunable_op_max_tuning_duration_ms", "1500"), Map.entry("sdpa_kernel", "2"),
				Map.entry("fuse_conv_bias", "1"));
		assertThat(settings.deviceId()).isEqualTo(1);
	}

	@Test
	void onlyPropertiesThatAreSetAreSent() {
		CudaSettings settings = map(Map.of("onnx.cuda.cudnn-conv-algo-search", "EXHAUSTIVE"));
		assertThat(settings.options()).containsExactly(Map.entry("cudnn_conv_algo_search", "EXHAUSTIVE"));
		assertThat(settings.enabled()).isTrue();
		assertThat(settings.fallback()).isEqualTo(CudaFallback.FAIL);
		assertThat(settings.deviceId()).isZero();
	}

	@Test
	void relaxedSpellingsBind() {
		CudaSettings settings = map(Map.of("onnx.cuda.arena-extend-strategy", "next-power-of-two",
				"onnx.cuda.cudnn-conv-algo-search", "heuristic", "onnx.cuda.fallback", "cpu"));
		assertThat(settings.options()).containsEntry("arena_extend_strategy", "kNextPowerOfTwo")
			.containsEntry("cudnn_conv_algo_search", "HEURISTIC");
		assertThat(settings.fallback()).isEqualTo(CudaFallback.CPU);
	}

	@Test
	void modelOverridesSharedValuesAndInheritsTheRest() {
		CudaSettings settings = map(Map.of("onnx.cuda.cudnn-conv-algo-search", "HEURISTIC", "onnx.cuda.gpu-mem-limit",
				"2GB", "onnx.cuda.fallback", "cpu", "onnx.models.m.cuda.cudnn-conv-algo-search", "EXHAUSTIVE",
				"onnx.models.m.cuda.enabled", "false"));
		assertThat(settings.options()).containsExactly(Map.entry("cudnn_conv_algo_search", "EXHAUSTIVE"),
				Map.entry("gpu_mem_limit", "2147483648"));
		assertThat(settings.enabled()).isFalse();
		assertThat(settings.fallback()).isEqualTo(CudaFallback.CPU);
	}

	@Test
	void rawOptionsPassThroughAndOverrideTypedKeys() {
		CudaSettings settings = map(Map.of("onnx.cuda.cudnn-conv-algo-search", "HEURISTIC",
				"onnx.cuda.options.some_new_key", "1", "onnx.models.m.cuda.options.cudnn_conv_algo_search", "DEFAULT"));
		assertThat(settings.options()).containsExactly(Map.entry("cudnn_conv_algo_search", "DEFAULT"),
				Map.entry("some_new_key", "1"));
	}

	@Test
	void cudaGraphsAreRejectedWithTheReasonAndTheProperty() {
		assertThatExceptionOfType(OnnxModelException.class)
			.isThrownBy(() -> map(Map.of("onnx.models.m.cuda.enable-cuda-graph", "true")))
			.satisfies((ex) -> {
				assertThat(ex.getModelName()).isEqualTo("m");
				assertThat(ex.getProperty()).isEqualTo("onnx.models.m.cuda.enable-cuda-graph");
				assertThat(ex).hasMessageContaining("IoBinding").hasMessageContaining("stale device memory");
			});
		assertThatExceptionOfType(OnnxModelException.class)
			.isThrownBy(() -> map(Map.of("onnx.cuda.options.enable_cuda_graph", "1")))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("onnx.cuda.options.enable_cuda_graph"));
	}

	@Test
	void providerOptionsStringHoldsExactlyTheMappedOptions() throws Exception {
		CudaSettings settings = map(EVERY_KEY);
		// needs the GPU artifact: the CPU one has no CUDA provider options at all
		assumeThat(ProviderLibrary.CUDA.isShipped()).as("CUDA provider library in the ONNX Runtime jar").isTrue();
		try (OrtCUDAProviderOptions options = CudaProviderInstaller.providerOptions(settings)) {
			assertThat(ProviderLibrary.parseOptions(options.getOptionsString())).isEqualTo(settings.options());
		}
	}

	@Test
	void everyMappedKeyIsKnownToTheShippedCudaProvider() throws Exception {
		assumeThat(ProviderLibrary.CUDA.isShipped()).as("CUDA provider library in the ONNX Runtime jar").isTrue();
		Set<String> words = ProviderLibrary.CUDA.identifiers();
		assertThat(words).containsAll(map(EVERY_KEY).options().keySet());
	}

	private static CudaSettings map(Map<String, String> properties) {
		Map<String, String> withModel = new LinkedHashMap<>(properties);
		withModel.putIfAbsent("onnx.models.m.location", "classpath:/m.onnx");
		OnnxProperties bound = new Binder(new MapConfigurationPropertySource(withModel))
			.bind("onnx", Bindable.of(OnnxProperties.class))
			.get();
		return CudaOptionsMapper.map("m", bound.getCuda(), bound.getModels().get("m").getCuda());
	}

	private static Map<String, String> every() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("onnx.cuda.device-id", "1");
		properties.put("onnx.cuda.cudnn-conv-algo-search", "HEURISTIC");
		properties.put("onnx.cuda.cudnn-conv-use-max-workspace", "false");
		properties.put("onnx.cuda.cudnn-conv1d-pad-to-nc1d", "true");
		properties.put("onnx.cuda.gpu-mem-limit", "4GB");
		properties.put("onnx.cuda.arena-extend-strategy", "same-as-requested");
		properties.put("onnx.cuda.do-copy-in-default-stream", "false");
		properties.put("onnx.cuda.use-tf32", "false");
		properties.put("onnx.cuda.prefer-nhwc", "true");
		properties.put("onnx.cuda.enable-cuda-graph", "false");
		properties.put("onnx.cuda.enable-skip-layer-norm-strict-mode", "true");
		properties.put("onnx.cuda.use-ep-level-unified-stream", "true");
		properties.put("onnx.cuda.tunable-op-enable", "true");
		properties.put("onnx.cuda.tunable-op-tuning-enable", "true");
		properties.put("onnx.cuda.tunable-op-max-tuning-duration", "1500ms");
		properties.put("onnx.cuda.sdpa-kernel", "2");
		properties.put("onnx.cuda.fuse-conv-bias", "true");
		return properties;
	}

}
