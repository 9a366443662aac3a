package io.github.onnxgpu.boot.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.onnxgpu.boot.OnnxModelException;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CudaProviderSelector}, the fallback decision.
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
		assertThat(choice).isEqualTo(new ProviderChoice(OrtProvider.CPU, OrtProvider.CPU, null));
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
		assertThat(choice).isEqualTo(new ProviderChoice(OrtProvider.CUDA, OrtProvider.CPU, "no NVIDIA driver"));
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
