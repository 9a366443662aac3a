package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.model.ArenaExtendStrategy;
import io.github.onnxgpu.boot.model.CudnnConvAlgoSearch;

/**
 * Settings of ONNX Runtime's CUDA execution provider, under {@code onnx.cuda} for all
 * models and under {@code onnx.models.<name>.cuda} for one. Every provider option here is
 * {@code null} when unset: a model's unset value inherits the shared one (see
 * {@link Inheritance}), and an option left unset everywhere keeps ONNX Runtime's own
 * default: only options that are set are sent to the provider. The starter's own settings
 * with a default ({@code enabled}, {@code fallback}) are fields of
 * {@link OnnxProperties.Cuda}, whose initialisers are the defaults, and nullable fields
 * of {@link OnnxModelProperties.Cuda}, where unset inherits.
 *
 * @since 0.1.0
 */
public abstract class CudaOptions {

	/**
	 * Index of the CUDA device to run on. ONNX Runtime's default is 0.
	 */
	private @Nullable Integer deviceId;

	/**
	 * How cuDNN picks a convolution algorithm for each new input shape. ONNX Runtime's
	 * default is EXHAUSTIVE.
	 */
	private @Nullable CudnnConvAlgoSearch cudnnConvAlgoSearch;

	/**
	 * Whether cuDNN may use as much workspace memory as the fastest convolution algorithm
	 * needs. ONNX Runtime's default is true.
	 */
	private @Nullable Boolean cudnnConvUseMaxWorkspace;

	/**
	 * Whether to pad 1-D convolution inputs to [N, C, 1, D] rather than [N, C, D, 1],
	 * which is faster for some models. ONNX Runtime's default is false.
	 */
	private @Nullable Boolean cudnnConv1dPadToNc1d;

	/**
	 * Upper bound of the device memory arena. ONNX Runtime's default is no limit.
	 */
	private @Nullable DataSize gpuMemLimit;

	/**
	 * How the device memory arena grows. ONNX Runtime's default is next-power-of-two.
	 */
	private @Nullable ArenaExtendStrategy arenaExtendStrategy;

	/**
	 * Whether to copy between host and device on the default CUDA stream. ONNX Runtime's
	 * default is true.
	 */
	private @Nullable Boolean doCopyInDefaultStream;

	/**
	 * Whether TF32 math may be used on Ampere and newer GPUs. ONNX Runtime's default is
	 * true.
	 */
	private @Nullable Boolean useTf32;

	/**
	 * Whether to prefer NHWC layouts for operators that support them. ONNX Runtime's
	 * default is false.
	 */
	private @Nullable Boolean preferNhwc;

	/**
	 * Whether to capture and replay the model as a CUDA graph. Only false is accepted:
	 * CUDA graphs need IoBinding, which ONNX Runtime's Java API lacks, so true stops
	 * start-up. ONNX Runtime's default is false.
	 */
	private @Nullable Boolean enableCudaGraph;

	/**
	 * Whether SkipLayerNorm runs in strict (more accurate, slower) mode. ONNX Runtime's
	 * default is false.
	 */
	private @Nullable Boolean enableSkipLayerNormStrictMode;

	/**
	 * Whether the execution provider uses one unified stream. ONNX Runtime's default is
	 * false.
	 */
	private @Nullable Boolean useEpLevelUnifiedStream;

	/**
	 * Whether tunable operators are used. ONNX Runtime's default is false.
	 */
	private @Nullable Boolean tunableOpEnable;

	/**
	 * Whether tunable operators tune themselves online. ONNX Runtime's default is false.
	 */
	private @Nullable Boolean tunableOpTuningEnable;

	/**
	 * Longest time spent tuning one tunable operator, in milliseconds precision; 0 means
	 * no limit. ONNX Runtime's default is 0.
	 */
	private @Nullable Duration tunableOpMaxTuningDuration;

	/**
	 * Bit mask of the scaled dot product attention kernels allowed; 0 lets ONNX Runtime
	 * choose. ONNX Runtime's default is 0.
	 */
	private @Nullable Integer sdpaKernel;

	/**
	 * Whether convolution and bias are fused by cuDNN. ONNX Runtime's default is false.
	 */
	private @Nullable Boolean fuseConvBias;

	/**
	 * Raw CUDA provider options passed as given, by ONNX Runtime key name, for keys this
	 * starter does not know yet. They override typed options with the same key.
	 */
	private Map<String, String> options = new LinkedHashMap<>();

	public @Nullable Integer getDeviceId() {
		return this.deviceId;
	}

	public void setDeviceId(@Nullable Integer deviceId) {
		this.deviceId = deviceId;
	}

	public @Nullable CudnnConvAlgoSearch getCudnnConvAlgoSearch() {
		return this.cudnnConvAlgoSearch;
	}

	public void setCudnnConvAlgoSearch(@Nullable CudnnConvAlgoSearch cudnnConvAlgoSearch) {
		this.cudnnConvAlgoSearch = cudnnConvAlgoSearch;
	}

	public @Nullable Boolean getCudnnConvUseMaxWorkspace() {
		return this.cudnnConvUseMaxWorkspace;
	}

	public void setCudnnConvUseMaxWorkspace(@Nullable Boolean cudnnConvUseMaxWorkspace) {
		this.cudnnConvUseMaxWorkspace = cudnnConvUseMaxWorkspace;
	}

	public @Nullable Boolean getCudnnConv1dPadToNc1d() {
		return this.cudnnConv1dPadToNc1d;
	}

	public void setCudnnConv1dPadToNc1d(@Nullable Boolean cudnnConv1dPadToNc1d) {
		this.cudnnConv1dPadToNc1d = cudnnConv1dPadToNc1d;
	}

	public @Nullable DataSize getGpuMemLimit() {
		return this.gpuMemLimit;
	}

	public void setGpuMemLimit(@Nullable DataSize gpuMemLimit) {
		this.gpuMemLimit = gpuMemLimit;
	}

	public @Nullable ArenaExtendStrategy getArenaExtendStrategy() {
		return this.arenaExtendStrategy;
	}

	public void setArenaExtendStrategy(@Nullable ArenaExtendStrategy arenaExtendStrategy) {
		this.arenaExtendStrategy = arenaExtendStrategy;
	}

	public @Nullable Boolean getDoCopyInDefaultStream() {
		return this.doCopyInDefaultStream;
	}

	public void setDoCopyInDefaultStream(@Nullable Boolean doCopyInDefaultStream) {
		this.doCopyInDefaultStream = doCopyInDefaultStream;
	}

	public @Nullable Boolean getUseTf32() {
		return this.useTf32;
	}

	public void setUseTf32(@Nullable Boolean useTf32) {
		this.useTf32 = useTf32;
	}

	public @Nullable Boolean getPreferNhwc() {
		return this.preferNhwc;
	}

	public void setPreferNhwc(@Nullable Boolean preferNhwc) {
		this.preferNhwc = preferNhwc;
	}

	public @Nullable Boolean getEnableCudaGraph() {
		return this.enableCudaGraph;
	}

	public void setEnableCudaGraph(@Nullable Boolean enableCudaGraph) {
		this.enableCudaGraph = enableCudaGraph;
	}

	public @Nullable Boolean getEnableSkipLayerNormStrictMode() {
		return this.enableSkipLayerNormStrictMode;
	}

	public void setEnableSkipLayerNormStrictMode(@Nullable Boolean enableSkipLayerNormStrictMode) {
		this.enableSkipLayerNormStrictMode = enableSkipLayerNormStrictMode;
	}

	public @Nullable Boolean getUseEpLevelUnifiedStream() {
		return this.useEpLevelUnifiedStream;
	}

	public void setUseEpLevelUnifiedStream(@Nullable Boolean useEpLevelUnifiedStream) {
		this.useEpLevelUnifiedStream = useEpLevelUnifiedStream;
	}

	public @Nullable Boolean getTunableOpEnable() {
		return this.tunableOpEnable;
	}

	public void setTunableOpEnable(@Nullable Boolean tunableOpEnable) {
		this.tunableOpEnable = tunableOpEnable;
	}

	public @Nullable Boolean getTunableOpTuningEnable() {
		return this.tunableOpTuningEnable;
	}

	public void setTunableOpTuningEnable(@Nullable Boolean tunableOpTuningEnable) {
		this.tunableOpTuningEnable = tunableOpTuningEnable;
	}

	public @Nullable Duration getTunableOpMaxTuningDuration() {
		return this.tunableOpMaxTuningDuration;
	}

	public void setTunableOpMaxTuningDuration(@Nullable Duration tunableOpMaxTuningDuration) {
		this.tunableOpMaxTuningDuration = tunableOpMaxTuningDuration;
	}

	public @Nullable Integer getSdpaKernel() {
		return this.sdpaKernel;
	}

	public void setSdpaKernel(@Nullable Integer sdpaKernel) {
		this.sdpaKernel = sdpaKernel;
	}

	public @Nullable Boolean getFuseConvBias() {
		return this.fuseConvBias;
	}

	public void setFuseConvBias(@Nullable Boolean fuseConvBias) {
		this.fuseConvBias = fuseConvBias;
	}

	public Map<String, String> getOptions() {
		return this.options;
	}

	public void setOptions(Map<String, String> options) {
		this.options = options;
	}

}
