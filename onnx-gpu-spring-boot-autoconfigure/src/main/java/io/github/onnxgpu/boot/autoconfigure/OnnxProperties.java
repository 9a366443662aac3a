package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.onnxgpu.boot.cuda.ArenaExtendStrategy;
import io.github.onnxgpu.boot.cuda.CudaFallback;
import io.github.onnxgpu.boot.cuda.CudnnConvAlgoSearch;
import io.github.onnxgpu.boot.session.ExecutionMode;
import io.github.onnxgpu.boot.session.OptimizationLevel;
import io.github.onnxgpu.boot.warmup.WarmupData;
import io.github.onnxgpu.boot.warmup.WarmupFailureAction;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for ONNX Runtime sessions, their CUDA execution provider and
 * their warmup.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("onnx")
public class OnnxProperties {

	private final Cuda cuda = new Cuda();

	private final Warmup warmup = new Warmup();

	private final Shutdown shutdown = new Shutdown();

	/**
	 * Models to load, by name. Each becomes an OrtSession bean qualified with its name.
	 */
	private final Map<String, Model> models = new LinkedHashMap<>();

	public Cuda getCuda() {
		return this.cuda;
	}

	public Warmup getWarmup() {
		return this.warmup;
	}

	public Map<String, Model> getModels() {
		return this.models;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	/**
	 * How the starter shuts ONNX Runtime down.
	 */
	public static class Shutdown {

		/**
		 * Whether to hold a reference to ONNX Runtime's native environment until the JVM
		 * exits, so that ONNX Runtime's own shutdown hook cannot release it while runs,
		 * session creations or session closes are still in flight.
		 */
		private boolean holdEnvironment = true;

		public boolean isHoldEnvironment() {
			return this.holdEnvironment;
		}

		public void setHoldEnvironment(boolean holdEnvironment) {
			this.holdEnvironment = holdEnvironment;
		}

	}

	/**
	 * Options of ONNX Runtime's CUDA execution provider. Every option left unset keeps
	 * ONNX Runtime's own default: only options that are set are sent to the provider.
	 */
	public abstract static class CudaOptions {

		/**
		 * Index of the CUDA device to run on. ONNX Runtime's default is 0.
		 */
		private Integer deviceId;

		/**
		 * How cuDNN picks a convolution algorithm for each new input shape. ONNX
		 * Runtime's default is EXHAUSTIVE.
		 */
		private CudnnConvAlgoSearch cudnnConvAlgoSearch;

		/**
		 * Whether cuDNN may use as much workspace memory as the fastest convolution
		 * algorithm needs. ONNX Runtime's default is true.
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
		 * Whether to copy between host and device on the default CUDA stream. ONNX
		 * Runtime's default is true.
		 */
		private Boolean doCopyInDefaultStream;

		/**
		 * Whether TF32 math may be used on Ampere and newer GPUs. ONNX Runtime's default
		 * is true.
		 */
		private Boolean useTf32;

		/**
		 * Whether to prefer NHWC layouts for operators that support them. ONNX Runtime's
		 * default is false.
		 */
		private Boolean preferNhwc;

		/**
		 * Whether to capture and replay the model as a CUDA graph. Needs static input
		 * shapes and addresses. ONNX Runtime's default is false.
		 */
		private Boolean enableCudaGraph;

		/**
		 * Whether SkipLayerNorm runs in strict (more accurate, slower) mode. ONNX
		 * Runtime's default is false.
		 */
		private Boolean enableSkipLayerNormStrictMode;

		/**
		 * Whether the execution provider uses one unified stream. ONNX Runtime's default
		 * is false.
		 */
		private Boolean useEpLevelUnifiedStream;

		/**
		 * Whether tunable operators are used. ONNX Runtime's default is false.
		 */
		private Boolean tunableOpEnable;

		/**
		 * Whether tunable operators tune themselves online. ONNX Runtime's default is
		 * false.
		 */
		private Boolean tunableOpTuningEnable;

		/**
		 * Longest time spent tuning one tunable operator, in milliseconds precision; 0
		 * means no limit. ONNX Runtime's default is 0.
		 */
		private Duration tunableOpMaxTuningDuration;

		/**
		 * Bit mask of the scaled dot product attention kernels allowed; 0 lets ONNX
		 * Runtime choose. ONNX Runtime's default is 0.
		 */
		private Integer sdpaKernel;

		/**
		 * Whether convolution and bias are fused by cuDNN. ONNX Runtime's default is
		 * false.
		 */
		private Boolean fuseConvBias;

		/**
		 * Raw CUDA provider options passed as given, by ONNX Runtime key name, for keys
		 * this starter does not know yet. They override typed options with the same key.
		 */
		private Map<String, String> options = new LinkedHashMap<>();

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

	/**
	 * CUDA execution provider settings shared by all models.
	 */
	public static class Cuda extends CudaOptions {

		/**
		 * Whether to try the CUDA execution provider at all.
		 */
		private boolean enabled = true;

		/**
		 * What to do when the CUDA execution provider cannot be added.
		 */
		private CudaFallback fallback = CudaFallback.FAIL;

		/**
		 * Whether to look for an NVIDIA driver before trying CUDA for models that may fall
		 * back to the CPU, and skip the attempt (seconds of library unpacking) on hosts
		 * that have none.
		 */
		private boolean probe = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public CudaFallback getFallback() {
			return this.fallback;
		}

		public void setFallback(CudaFallback fallback) {
			this.fallback = fallback;
		}

		public boolean isProbe() {
			return this.probe;
		}

		public void setProbe(boolean probe) {
			this.probe = probe;
		}

	}

	/**
	 * Per-model overrides of the shared CUDA settings; unset values inherit them.
	 */
	public static class ModelCuda extends CudaOptions {

		/**
		 * Whether to try the CUDA execution provider for this model. Inherits
		 * onnx.cuda.enabled when unset.
		 */
		private Boolean enabled;

		/**
		 * What to do when the CUDA execution provider cannot be added for this model.
		 * Inherits onnx.cuda.fallback when unset.
		 */
		private CudaFallback fallback;

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

	}

	/**
	 * Warmup settings shared by all models.
	 */
	public static class Warmup {

		/**
		 * Whether to warm models up when the application is ready, before it accepts
		 * traffic.
		 */
		private boolean enabled = true;

		/**
		 * Runs per warmup shape.
		 */
		private int iterations = 3;

		/**
		 * Longest time one model's warmup may take before it is stopped and counted as
		 * failed.
		 */
		private Duration timeout = Duration.ofMinutes(10);

		/**
		 * What to do when a model's warmup fails.
		 */
		private WarmupFailureAction onFailure = WarmupFailureAction.FAIL;

		/**
		 * How many models are warmed up at once.
		 */
		private int parallelism = 2;

		/**
		 * What the warmup input tensors are filled with.
		 */
		private WarmupData data = WarmupData.ZEROS;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getIterations() {
			return this.iterations;
		}

		public void setIterations(int iterations) {
			this.iterations = iterations;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public WarmupFailureAction getOnFailure() {
			return this.onFailure;
		}

		public void setOnFailure(WarmupFailureAction onFailure) {
			this.onFailure = onFailure;
		}

		public int getParallelism() {
			return this.parallelism;
		}

		public void setParallelism(int parallelism) {
			this.parallelism = parallelism;
		}

		public WarmupData getData() {
			return this.data;
		}

		public void setData(WarmupData data) {
			this.data = data;
		}

	}

	/**
	 * One model served as an OrtSession bean.
	 */
	public static class Model {

		/**
		 * Location of the ONNX model file, any Spring resource location such as
		 * 'classpath:/models/det.onnx' or 'file:/opt/models/det.onnx'.
		 */
		private Resource location;

		/**
		 * Expected SHA-256 of the model file, in hex. A mismatch stops start-up.
		 */
		private String sha256;

		private final ModelCuda cuda = new ModelCuda();

		private final Session session = new Session();

		private final ModelWarmup warmup = new ModelWarmup();

		public Resource getLocation() {
			return this.location;
		}

		public void setLocation(Resource location) {
			this.location = location;
		}

		public String getSha256() {
			return this.sha256;
		}

		public void setSha256(String sha256) {
			this.sha256 = sha256;
		}

		public ModelCuda getCuda() {
			return this.cuda;
		}

		public Session getSession() {
			return this.session;
		}

		public ModelWarmup getWarmup() {
			return this.warmup;
		}

	}

	/**
	 * ONNX Runtime session options of one model. Unset values keep ONNX Runtime's
	 * defaults.
	 */
	public static class Session {

		/**
		 * Threads used to parallelize work inside an operator; 0 lets ONNX Runtime
		 * choose.
		 */
		private Integer intraOpThreads;

		/**
		 * Threads used to run independent operators at once (parallel execution mode
		 * only); 0 lets ONNX Runtime choose.
		 */
		private Integer interOpThreads;

		/**
		 * Whether operators run one after another or, where independent, in parallel.
		 */
		private ExecutionMode executionMode;

		/**
		 * Graph optimization level.
		 */
		private OptimizationLevel optimizationLevel;

		/**
		 * Whether ONNX Runtime plans memory from the shapes it has seen.
		 */
		private Boolean memoryPattern;

		/**
		 * Whether the CPU memory arena is used.
		 */
		private Boolean cpuArena;

		/**
		 * File ONNX Runtime writes the optimized graph to, for inspection or faster later
		 * loads.
		 */
		private String optimizedModelPath;

		/**
		 * Raw session configuration entries, by ONNX Runtime key name.
		 */
		private Map<String, String> config = new LinkedHashMap<>();

		public Integer getIntraOpThreads() {
			return this.intraOpThreads;
		}

		public void setIntraOpThreads(Integer intraOpThreads) {
			this.intraOpThreads = intraOpThreads;
		}

		public Integer getInterOpThreads() {
			return this.interOpThreads;
		}

		public void setInterOpThreads(Integer interOpThreads) {
			this.interOpThreads = interOpThreads;
		}

		public ExecutionMode getExecutionMode() {
			return this.executionMode;
		}

		public void setExecutionMode(ExecutionMode executionMode) {
			this.executionMode = executionMode;
		}

		public OptimizationLevel getOptimizationLevel() {
			return this.optimizationLevel;
		}

		public void setOptimizationLevel(OptimizationLevel optimizationLevel) {
			this.optimizationLevel = optimizationLevel;
		}

		public Boolean getMemoryPattern() {
			return this.memoryPattern;
		}

		public void setMemoryPattern(Boolean memoryPattern) {
			this.memoryPattern = memoryPattern;
		}

		public Boolean getCpuArena() {
			return this.cpuArena;
		}

		public void setCpuArena(Boolean cpuArena) {
			this.cpuArena = cpuArena;
		}

		public String getOptimizedModelPath() {
			return this.optimizedModelPath;
		}

		public void setOptimizedModelPath(String optimizedModelPath) {
			this.optimizedModelPath = optimizedModelPath;
		}

		public Map<String, String> getConfig() {
			return this.config;
		}

		public void setConfig(Map<String, String> config) {
			this.config = config;
		}

	}

	/**
	 * Warmup of one model; unset values inherit the shared warmup settings.
	 */
	public static class ModelWarmup {

		/**
		 * Whether to warm this model up. Inherits onnx.warmup.enabled when unset.
		 */
		private Boolean enabled;

		/**
		 * Runs per warmup shape. Inherits onnx.warmup.iterations when unset.
		 */
		private Integer iterations;

		/**
		 * Longest time this model's warmup may take. Inherits onnx.warmup.timeout when
		 * unset.
		 */
		private Duration timeout;

		/**
		 * What to do when this model's warmup fails. Inherits onnx.warmup.on-failure when
		 * unset.
		 */
		private WarmupFailureAction onFailure;

		/**
		 * What the warmup input tensors are filled with. Inherits onnx.warmup.data when
		 * unset.
		 */
		private WarmupData data;

		/**
		 * Warmup samples, one entry per sample: input name to dimensions such as
		 * '1x3x640x640'. Needed when the model has dynamic dimensions.
		 */
		private List<Map<String, String>> shapes = new ArrayList<>();

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public Integer getIterations() {
			return this.iterations;
		}

		public void setIterations(Integer iterations) {
			this.iterations = iterations;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public WarmupFailureAction getOnFailure() {
			return this.onFailure;
		}

		public void setOnFailure(WarmupFailureAction onFailure) {
			this.onFailure = onFailure;
		}

		public WarmupData getData() {
			return this.data;
		}

		public void setData(WarmupData data) {
			this.data = data;
		}

		public List<Map<String, String>> getShapes() {
			return this.shapes;
		}

		public void setShapes(List<Map<String, String>> shapes) {
			this.shapes = shapes;
		}

	}

}
