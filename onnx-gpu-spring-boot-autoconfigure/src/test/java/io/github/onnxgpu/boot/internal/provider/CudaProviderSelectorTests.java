package io.github.onnxgpu.boot.internal.provider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.model.CudaFallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CudaProviderSelector}: the provider chain and its fallback decisions.
 */
@ExtendWith(OutputCaptureExtension.class)
class CudaProviderSelectorTests {

	private static final String ORT_FAILURE = "Error code - ORT_FAIL - message: /onnxruntime_src/onnxruntime/core/"
			+ "session/provider_bridge_ort.cc:1988 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() "
			+ "[ONNXRuntimeError] : 1 : FAIL : Failed to load library libonnxruntime_providers_cuda.so with error: "
			+ "libcublasLt.so.12: cannot open shared object file: No such file or directory";

	private final List<CudaSettings> installed = new ArrayList<>();

	@Test
	void whenDisabledCudaIsNotTried() throws OrtException {
		ProviderChoice choice = select(recording(), settings(false, CudaFallback.FAIL));
		assertThat(this.installed).isEmpty();
		assertThat(choice).isEqualTo(ProviderChoice.as(OrtProvider.CPU));
	}

	@Test
	void whenCudaCanBeAddedItIsUsed() throws OrtException {
		CudaSettings settings = settings(true, CudaFallback.FAIL);
		ProviderChoice choice = select(recording(), settings);
		assertThat(this.installed).containsExactly(settings);
		assertThat(choice.active()).isEqualTo(OrtProvider.CUDA);
		assertThat(choice.fellBack()).isFalse();
	}

	@Test
	void whenCudaFailsAndFallbackIsFailStartupStopsWithOrtReasonAndHint() {
		assertThatExceptionOfType(OnnxModelException.class)
			.isThrownBy(() -> select(failing(), settings(true, CudaFallback.FAIL)))
			.satisfies((ex) -> {
				assertThat(ex.getModelName()).isEqualTo("detector");
				assertThat(ex.getProperty()).isEqualTo("onnx.cuda.fallback");
				assertThat(ex).hasMessageContaining(
						"cannot be added: Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.12");
				assertThat(ex.getAction()).contains("CUDA 12 and cuDNN 9", "driver", "onnx.cuda.fallback=cpu");
			});
	}

	@Test
	void whenCudaFailsAndFallbackIsCpuReasonIsRecordedAndLoggedOnce(CapturedOutput output) throws OrtException {
		ProviderChoice choice = select(failing(), settings(true, CudaFallback.CPU));
		assertThat(choice.requested()).isEqualTo(OrtProvider.CUDA);
		assertThat(choice.active()).isEqualTo(OrtProvider.CPU);
		assertThat(choice.fallbackReason()).startsWith("Failed to load library libonnxruntime_providers_cuda.so")
			.doesNotContain("onnxruntime_src");
		assertThat(output.getAll().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("ONNX model 'detector' runs on the CPU", "libcublasLt.so.12");
	}

	@Test
	void sameFallbackForTheSameModelIsWarnedOnceAcrossSessions(CapturedOutput output) throws OrtException {
		// as when tuning creates one session per candidate
		CudaProviderSelector selector = new CudaProviderSelector(failing(), () -> "no NVIDIA driver");
		for (int session = 0; session < 3; session++) {
			try (SessionOptions options = new SessionOptions()) {
				assertThat(selector.select("detector", settings(true, CudaFallback.CPU), options).active())
					.isEqualTo(OrtProvider.CPU);
			}
		}
		try (SessionOptions options = new SessionOptions()) {
			selector.select("other", settings(true, CudaFallback.CPU), options);
		}
		assertThat(output.getAll().lines().filter((line) -> line.contains("WARN"))).satisfiesExactly(
				(line) -> assertThat(line).contains("ONNX model 'detector' runs on the CPU"),
				(line) -> assertThat(line).contains("ONNX model 'other' runs on the CPU"));
	}

	@Test
	void whenOrtBuildHasNoCudaProviderHintNamesTheGpuArtifact() {
		CudaProviderInstaller cpuBuild = (options, settings) -> {
			throw new OrtException("Error code - ORT_EP_FAIL - message: Failed to find CUDA shared provider");
		};
		assertThatExceptionOfType(OnnxModelException.class)
			.isThrownBy(() -> select(cpuBuild, settings(true, CudaFallback.FAIL)))
			.satisfies((ex) -> {
				assertThat(ex).hasMessageContaining("cannot be added: Failed to find CUDA shared provider [property");
				assertThat(ex.getAction()).contains("com.microsoft.onnxruntime:onnxruntime_gpu");
			});
	}

	@Test
	void whenNativeLibraryIsMissingFallbackStillApplies() throws OrtException {
		CudaProviderInstaller unlinked = (options, settings) -> {
			throw new UnsatisfiedLinkError("no onnxruntime4j_jni");
		};
		assertThat(select(unlinked, settings(true, CudaFallback.CPU)).fallbackReason())
			.isEqualTo("no onnxruntime4j_jni");
	}

	@Test
	void whenProbeFindsNoDriverAndFallbackIsCpuCudaIsNotTried() throws OrtException {
		ProviderChoice choice = select(recording(), () -> "no NVIDIA driver", settings(true, CudaFallback.CPU));
		assertThat(this.installed).isEmpty();
		assertThat(choice).isEqualTo(new ProviderChoice(OrtProvider.CUDA, OrtProvider.CPU, "no NVIDIA driver",
				List.of("CUDA: no NVIDIA driver")));
	}

	@Test
	void whenFallbackIsFailCudaIsTriedWhateverTheProbeSays() throws OrtException {
		CudaSettings settings = settings(true, CudaFallback.FAIL);
		assertThat(select(recording(), () -> "no NVIDIA driver", settings).active()).isEqualTo(OrtProvider.CUDA);
		assertThat(this.installed).containsExactly(settings);
	}

	@Test
	void whenProbeFindsDriverCudaIsTried() throws OrtException {
		CudaSettings settings = settings(true, CudaFallback.CPU);
		assertThat(select(recording(), () -> null, settings).active()).isEqualTo(OrtProvider.CUDA);
		assertThat(this.installed).containsExactly(settings);
	}

	@Test
	void whenTensorrtIsEnabledItIsAddedFirstAndCudaAfterIt() throws OrtException {
		List<String> added = new ArrayList<>();
		ProviderChoice choice = chain((options, trt) -> added.add("TENSOR_RT " + trt),
				(options, settings) -> added.add("CUDA"), null, settings(true, CudaFallback.FAIL));
		assertThat(added).containsExactly("TENSOR_RT {device_id=0, trt_fp16_enable=1}", "CUDA");
		assertThat(choice).isEqualTo(ProviderChoice.as(OrtProvider.TENSOR_RT));
	}

	@Test
	void whenTensorrtFailsCudaAloneRunsAndTheStepIsRecorded() throws OrtException {
		ProviderChoice choice = chain(failingTensorrt(), recording(), null, settings(true, CudaFallback.FAIL));
		assertThat(choice.requested()).isEqualTo(OrtProvider.TENSOR_RT);
		assertThat(choice.active()).isEqualTo(OrtProvider.CUDA);
		assertThat(choice.fallbackReasons()).singleElement()
			.asString()
			.startsWith("TENSOR_RT: Failed to load library libonnxruntime_providers_tensorrt.so")
			.contains("libnvinfer.so.10")
			.doesNotContain("onnxruntime_src");
		assertThat(choice.fallbackReason()).isEqualTo(choice.fallbackReasons().get(0));
		assertThat(this.installed).hasSize(1);
	}

	@Test
	void whenTensorrtAndCudaFailAndFallbackIsCpuEveryStepIsRecorded() throws OrtException {
		ProviderChoice choice = chain(failingTensorrt(), failing(), null, settings(true, CudaFallback.CPU));
		assertThat(choice.active()).isEqualTo(OrtProvider.CPU);
		assertThat(choice.fallbackReasons()).hasSize(2);
		assertThat(choice.fallbackReasons().get(0)).startsWith("TENSOR_RT: ").contains("libnvinfer.so.10");
		assertThat(choice.fallbackReasons().get(1)).startsWith("CUDA: ").contains("libcublasLt.so.12");
		assertThat(choice.fallbackReason()).contains("libnvinfer.so.10", "; then CUDA: ");
	}

	@Test
	void whenTensorrtAndCudaFailAndFallbackIsFailStartupNamesTheFirstStep() {
		assertThatExceptionOfType(OnnxModelException.class)
			.isThrownBy(() -> chain(failingTensorrt(), failing(), null, settings(true, CudaFallback.FAIL)))
			.satisfies((ex) -> {
				assertThat(ex.getModelName()).isEqualTo("detector");
				assertThat(ex.getProperty()).isEqualTo("onnx.cuda.fallback");
				assertThat(ex).hasMessageContaining("the TensorRT execution provider cannot be added (TENSOR_RT: ")
					.hasMessageContaining("libnvinfer.so.10")
					.hasMessageContaining("CUDA: ");
				assertThat(ex.getAction()).contains("TensorRT 10", "onnx.cuda.fallback=cpu",
						"onnx.tensorrt.enabled=false");
			});
	}

	@Test
	void whenOrtBuildHasNoTensorrtProviderHintNamesTheGpuArtifact() {
		TensorrtProviderInstaller cpuBuild = (options, trt) -> {
			throw new OrtException("Error code - ORT_EP_FAIL - message: Failed to find TensorRT shared provider");
		};
		assertThatExceptionOfType(OnnxModelException.class)
			.isThrownBy(() -> chain(cpuBuild, failing(), null, settings(true, CudaFallback.FAIL)))
			.satisfies((ex) -> {
				assertThat(ex).hasMessageContaining("TENSOR_RT: Failed to find TensorRT shared provider");
				assertThat(ex.getAction()).contains("com.microsoft.onnxruntime:onnxruntime_gpu");
			});
	}

	@Test
	void whenProbeFindsNoDriverTensorrtIsNeitherPreparedNorTried() throws OrtException {
		List<String> prepared = new ArrayList<>();
		ProviderChoice choice = chain((options, trt) -> prepared.add("installed"), recording(),
				() -> "no NVIDIA driver", settings(true, CudaFallback.CPU), () -> {
					prepared.add("prepared");
					return Map.of();
				});
		assertThat(prepared).isEmpty();
		assertThat(this.installed).isEmpty();
		assertThat(choice.fallbackReasons()).containsExactly("TENSOR_RT: no NVIDIA driver", "CUDA: no NVIDIA driver");
	}

	@Test
	void whenTensorrtOptionsAreInvalidForTheModelStartupStopsInsteadOfFallingBack() {
		OnnxModelException invalid = new OnnxModelException("detector", "onnx.models.detector.tensorrt.profile.min.y",
				"the model has no input 'y'", "use one of the model's inputs [x]");
		assertThatExceptionOfType(OnnxModelException.class).isThrownBy(() -> chain((options, trt) -> {
		}, recording(), null, settings(true, CudaFallback.CPU), () -> {
			throw invalid;
		})).isSameAs(invalid);
	}

	private ProviderChoice chain(TensorrtProviderInstaller tensorrt, CudaProviderInstaller cuda, CudaDriverProbe probe,
			CudaSettings settings) throws OrtException {
		return chain(tensorrt, cuda, probe, settings, () -> {
			Map<String, String> options = new LinkedHashMap<>();
			options.put("device_id", "0");
			options.put("trt_fp16_enable", "1");
			return options;
		});
	}

	private ProviderChoice chain(TensorrtProviderInstaller tensorrt, CudaProviderInstaller cuda, CudaDriverProbe probe,
			CudaSettings settings, Supplier<Map<String, String>> tensorrtOptions) throws OrtException {
		try (SessionOptions options = new SessionOptions()) {
			return new CudaProviderSelector(cuda, probe, tensorrt).select("detector", settings, tensorrtOptions,
					options);
		}
	}

	private static TensorrtProviderInstaller failingTensorrt() {
		return (options, trt) -> {
			throw new OrtException(
					ORT_FAILURE.replace("libonnxruntime_providers_cuda.so", "libonnxruntime_providers_tensorrt.so")
						.replace("libcublasLt.so.12", "libnvinfer.so.10"));
		};
	}

	private ProviderChoice select(CudaProviderInstaller installer, CudaSettings settings) throws OrtException {
		return select(installer, null, settings);
	}

	private ProviderChoice select(CudaProviderInstaller installer, CudaDriverProbe probe, CudaSettings settings)
			throws OrtException {
		try (SessionOptions options = new SessionOptions()) {
			return new CudaProviderSelector(installer, probe).select("detector", settings, options);
		}
	}

	private CudaProviderInstaller recording() {
		return (options, settings) -> this.installed.add(settings);
	}

	private static CudaProviderInstaller failing() {
		return (options, settings) -> {
			throw new OrtException(ORT_FAILURE);
		};
	}

	private static CudaSettings settings(boolean enabled, CudaFallback fallback) {
		return new CudaSettings(enabled, fallback, 0, Map.of("cudnn_conv_algo_search", "HEURISTIC"));
	}

}
