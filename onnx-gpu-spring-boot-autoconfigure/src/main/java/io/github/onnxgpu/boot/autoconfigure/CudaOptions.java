package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.onnxgpu.boot.provider.ArenaExtendStrategy;
import io.github.onnxgpu.boot.provider.CudaFallback;
import io.github.onnxgpu.boot.provider.CudnnConvAlgoSearch;

import org.springframework.util.unit.DataSize;

/**
 * Settings of ONNX Runtime's CUDA execution provider, under {@code onnx.cuda} for all
 * models and under {@code onnx.models.<name>.cuda} for one. Every field is {@code null}
 * when unset: a model's unset value inherits the shared one (see {@link Inheritance}).
 * Every provider option left unset everywhere keeps ONNX Runtime's own default: only
 * options that are set are sent to the provider.
 *
 * @since 0.1.0
 */
public abstract class CudaOptions {

	static final boolean DEFAULT_ENABLED = true;

	static final CudaFallback DEFAULT_FALLBACK = CudaFallback.FAIL;

	/**
	 * Whether to try the CUDA execution provider at all.
	 */
	private Boolean enabled;

	/**
	 * What to do when the CUDA execution provider cannot be added.
	 */
	private CudaFallback fallback;

	/**
	 * Index of the CUDA device to run on. ONNX Runtime's default is 0.
	 */
	private Integer deviceId;

	/**
	 * How cuDNN picks a convolution algorithm for each new input shape. ONNX Runtime's
	 * default is EXHAUSTIVE.
	 */
	private CudnnConvAlgoSearch cudnnConvAlgoSearch;

	/**
	 * Whether cuDNN may use as much workspace memory as the fastest convolution algorithm
	 * needs. ONNX Runtime's default is true.
	 */
	private Boolean cudnnConvUseMaxWorkspace;

	/**
	 * Whether to pad 1-D convolution inputs to [N, C, 1, D] rather than [N, C, D, 1],
	 * which is faster for some models. ONNX Runtime's default is false.
	 */
	private Boolean cudnnConv1dPadToNc1d;

	/**
	 * Upper bound of the device memory arena. ONNX Runtime's default is no limit.
	 */
	private DataSize gpuMemLimit;

	/**
	 * How the device memory arena grows. ONNX Runtime's default is next-power-of-two.
	 */
	private ArenaExtendStrategy arenaExtendStrategy;

	/**
	 * Whether to copy between host and device on the default CUDA stream. ONNX Runtime's
	 * default is true.
	 */
	private Boolean doCopyInDefaultStream;

	/**
	 * Whether TF32 math may be used on Ampere and newer GPUs. ONNX Runtime's default is
	 * true.
	 */
	private Boolean useTf32;

	/**
	 * Whether to prefer NHWC layouts for operators that support them. ONNX Runtime's
	 * default is false.
	 */
	private Boolean preferNhwc;

	/**
	 * Whether to capture and replay the model as a CUDA graph. Only false is accepted:
	 * CUDA graphs need IoBinding, which ONNX Runtime's Java API lacks, so true stops
	 * start-up. ONNX Runtime's default is false.
	 */
	private Boolean enableCudaGraph;

	/**
	 * Whether SkipLayerNorm runs in strict (more accurate, slower) mode. ONNX Runtime's
	 * default is false.
	 */
	private Boolean enableSkipLayerNormStrictMode;

	/**
	 * Whether the execution provider uses one unified stream. ONNX Runtime's default is
	 * false.
	 */
	private Boolean useEpLevelUnifiedStream;

	/**
	 * Whether tunable operators are used. ONNX Runtime's default is false.
	 */
	private Boolean tunableOpEnable;

	/**
	 * Whether tunable operators tune themselves online. ONNX Runtime's default is false.
	 */
	private Boolean tunableOpTuningEnable;

	/**
	 * Longest time spent tuning one tunable operator, in milliseconds precision; 0 means
	 * no limit. ONNX Runtime's default is 0.
	 */
	private Duration tunableOpMaxTuningDuration;

	/**
	 * Bit mask of the scaled dot product attention kernels allowed; 0 lets ONNX Runtime
	 * choose. ONNX Runtime's default is 0.
	 */
	private Integer sdpaKernel;

	/**
	 * Whether convolution and bias are fused by cuDNN. ONNX Runtime's default is false.
	 */
	private Boolean fuseConvBias;

	/**
	 * Raw CUDA provider options passed as given, by ONNX Runtime key name, for keys this
	 * starter does not know yet. They override typed options with the same key.
	 */
	private Map<String, String> options = new LinkedHashMap<>();

	public Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(Boolean enabled) {
		this.enabled = enabled;
	}

	public CudaFallback getFallback() {
		return this.fallback;
	}

	public void setFallback(CudaFallback fallback) {
		this.fallback = fallback;
	}

	public Integer getDeviceId() {
		return this.deviceId;
	}

	public void setDeviceId(Integer deviceId) {
		this.deviceId = deviceId;
	}

	public CudnnConvAlgoSearch getCudnnConvAlgoSearch() {
		return this.cudnnConvAlgoSearch;
	}

	public void setCudnnConvAlgoSearch(CudnnConvAlgoSearch cudnnConvAlgoSearch) {
		this.cudnnConvAlgoSearch = cudnnConvAlgoSearch;
	}

	public Boolean getCudnnConvUseMaxWorkspace() {
		return this.cudnnConvUseMaxWorkspace;
	}

	public void setCudnnConvUseMaxWorkspace(Boolean cudnnConvUseMaxWorkspace) {
		this.cudnnConvUseMaxWorkspace = cudnnConvUseMaxWorkspace;
	}

	public Boolean getCudnnConv1dPadToNc1d() {
		return this.cudnnConv1dPadToNc1d;
	}

	public void setCudnnConv1dPadToNc1d(Boolean cudnnConv1dPadToNc1d) {
		this.cudnnConv1dPadToNc1d = cudnnConv1dPadToNc1d;
	}

	public DataSize getGpuMemLimit() {
		return this.gpuMemLimit;
	}

	public void setGpuMemLimit(DataSize gpuMemLimit) {
		this.gpuMemLimit = gpuMemLimit;
	}

	public ArenaExtendStrategy getArenaExtendStrategy() {
		return this.arenaExtendStrategy;
	}

	public void setArenaExtendStrategy(ArenaExtendStrategy arenaExtendStrategy) {
		this.arenaExtendStrategy = arenaExtendStrategy;
	}

	public Boolean getDoCopyInDefaultStream() {
		return this.doCopyInDefaultStream;
	}

	public void setDoCopyInDefaultStream(Boolean doCopyInDefaultStream) {
		this.doCopyInDefaultStream = doCopyInDefaultStream;
	}

	public Boolean getUseTf32() {
		return this.useTf32;
	}

	public void setUseTf32(Boolean useTf32) {
		this.useTf32 = useTf32;
	}

	public Boolean getPreferNhwc() {
		return this.preferNhwc;
	}

	public void setPreferNhwc(Boolean preferNhwc) {
		this.preferNhwc = preferNhwc;
	}

	public Boolean getEnableCudaGraph() {
		return this.enableCudaGraph;
	}

	public void setEnableCudaGraph(Boolean enableCudaGraph) {
		this.enableCudaGraph = enableCudaGraph;
	}

	public Boolean getEnableSkipLayerNormStrictMode() {
		return this.enableSkipLayerNormStrictMode;
	}

	public void setEnableSkipLayerNormStrictMode(Boolean enableSkipLayerNormStrictMode) {
		this.enableSkipLayerNormStrictMode = enableSkipLayerNormStrictMode;
	}

	public Boolean getUseEpLevelUnifiedStream() {
		return this.useEpLevelUnifiedStream;
	}

	public void setUseEpLevelUnifiedStream(Boolean useEpLevelUnifiedStream) {
		this.useEpLevelUnifiedStream = useEpLevelUnifiedStream;
	}

	public Boolean getTunableOpEnable() {
		return this.tunableOpEnable;
	}

	public void setTunableOpEnable(Boolean tunableOpEnable) {
		this.tunableOpEnable = tunableOpEnable;
	}

	public Boolean getTunableOpTuningEnable() {
		return this.tunableOpTuningEnable;
	}

	public void setTunableOpTuningEnable(Boolean tunableOpTuningEnable) {
		this.tunableOpTuningEnable = tunableOpTuningEnable;
	}

	public Duration getTunableOpMaxTuningDuration() {
		return this.tunableOpMaxTuningDuration;
	}

	public void setTunableOpMaxTuningDuration(Duration tunableOpMaxTuningDuration) {
		this.tunableOpMaxTuningDuration = tunableOpMaxTuningDuration;
	}

	public Integer getSdpaKernel() {
		return this.sdpaKernel;
	}

	public void setSdpaKernel(Integer sdpaKernel) {
		this.sdpaKernel = sdpaKernel;
	}

	public Boolean getFuseConvBias() {
		return this.fuseConvBias;
	}

	public void setFuseConvBias(Boolean fuseConvBias) {
		this.fuseConvBias = fuseConvBias;
	}

	public Map<String, String> getOptions() {
		return this.options;
	}

	public void setOptions(Map<String, String> options) {
		this.options = options;
	}

}
