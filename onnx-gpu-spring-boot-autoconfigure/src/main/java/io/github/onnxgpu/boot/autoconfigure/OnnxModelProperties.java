package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.model.CudaFallback;
import io.github.onnxgpu.boot.model.ExecutionMode;
import io.github.onnxgpu.boot.model.OptimizationLevel;
import io.github.onnxgpu.boot.model.ProfileShapes;
import io.github.onnxgpu.boot.model.WarmupData;
import io.github.onnxgpu.boot.model.WarmupFailureAction;

/**
 * One model served as an OrtSession bean, under {@code onnx.models.<name>}: the
 * properties of one element of {@link OnnxProperties#getModels()}. Its nested classes are
 * the model's own settings; where {@link OnnxProperties} has a shared setting of the same
 * name, an unset ({@code null}) value of the model inherits it (see {@link Inheritance}).
 *
 * @since 0.1.0
 */
public class OnnxModelProperties {

	/**
	 * Location of the ONNX model file, any Spring resource location such as
	 * 'classpath:/models/det.onnx' or 'file:/opt/models/det.onnx'.
	 */
	private @Nullable Resource location;

	/**
	 * Expected SHA-256 of the model file, in hex. A mismatch stops start-up.
	 */
	private @Nullable String sha256;

	private final Cuda cuda = new Cuda();

	private final Tensorrt tensorrt = new Tensorrt();

	private final Session session = new Session();

	private final Warmup warmup = new Warmup();

	private final Binding binding = new Binding();

	private final Tuning tuning = new Tuning();

	private final Batching batching = new Batching();

	private final Reload reload = new Reload();

	private final EmbeddingProperties embedding = new EmbeddingProperties();

	@NestedConfigurationProperty
	private final ModelExecutionProvider executionProvider = new ModelExecutionProvider();

	/**
	 * Sessions of the model, each warmed (and tuned once, the choice reused); runs go to
	 * the least busy. On the CPU, more than one splits the cores between them unless
	 * 'session.intra-op-threads' is set.
	 */
	private int instances = 1;

	public @Nullable Resource getLocation() {
		return this.location;
	}

	public void setLocation(@Nullable Resource location) {
		this.location = location;
	}

	public @Nullable String getSha256() {
		return this.sha256;
	}

	public void setSha256(@Nullable String sha256) {
		this.sha256 = sha256;
	}

	public Cuda getCuda() {
		return this.cuda;
	}

	public Tensorrt getTensorrt() {
		return this.tensorrt;
	}

	public Session getSession() {
		return this.session;
	}

	public Warmup getWarmup() {
		return this.warmup;
	}

	public Binding getBinding() {
		return this.binding;
	}

	public Tuning getTuning() {
		return this.tuning;
	}

	public Batching getBatching() {
		return this.batching;
	}

	public Reload getReload() {
		return this.reload;
	}

	public EmbeddingProperties getEmbedding() {
		return this.embedding;
	}

	public ModelExecutionProvider getExecutionProvider() {
		return this.executionProvider;
	}

	public int getInstances() {
		return this.instances;
	}

	public void setInstances(int instances) {
		this.instances = instances;
	}

	/**
	 * CUDA settings of one model; unset ({@code null}) values inherit {@code onnx.cuda}.
	 */
	public static class Cuda extends CudaOptions {

		/**
		 * Whether to try the CUDA execution provider for this model; unset inherits
		 * {@code onnx.cuda.enabled}.
		 */
		private @Nullable Boolean enabled;

		/**
		 * What to do when the CUDA execution provider cannot be added for this model;
		 * unset inherits {@code onnx.cuda.fallback}.
		 */
		private @Nullable CudaFallback fallback;

		/**
		 * CUDA devices to place the model's instances on, in turn (instance 0 on the
		 * first, 1 on the second, ...). Unset places every instance on 'device-id'.
		 */
		private @Nullable List<Integer> deviceIds;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable CudaFallback getFallback() {
			return this.fallback;
		}

		public void setFallback(@Nullable CudaFallback fallback) {
			this.fallback = fallback;
		}

		public @Nullable List<Integer> getDeviceIds() {
			return this.deviceIds;
		}

		public void setDeviceIds(@Nullable List<Integer> deviceIds) {
			this.deviceIds = deviceIds;
		}

	}

	/**
	 * TensorRT settings of one model; unset ({@code null}) values inherit
	 * {@code onnx.tensorrt}.
	 */
	public static class Tensorrt extends TensorrtOptions {

		/**
		 * Whether to try the TensorRT execution provider first for this model; unset
		 * inherits {@code onnx.tensorrt.enabled}.
		 */
		private @Nullable Boolean enabled;

		/**
		 * This model's cache of built TensorRT engines; unset values inherit
		 * {@code onnx.tensorrt.engine-cache}.
		 */
		@NestedConfigurationProperty
		private final CacheProperties engineCache = CacheProperties.unset();

		/**
		 * This model's cache of TensorRT layer timings; unset values inherit
		 * {@code onnx.tensorrt.timing-cache}.
		 */
		@NestedConfigurationProperty
		private final CacheProperties timingCache = CacheProperties.unset();

		/**
		 * Where this model's optimization profile comes from when it has no explicit
		 * profile; unset inherits {@code onnx.tensorrt.profile-shapes}.
		 */
		private @Nullable ProfileShapes profileShapes;

		private final Profile profile = new Profile();

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public CacheProperties getEngineCache() {
			return this.engineCache;
		}

		public CacheProperties getTimingCache() {
			return this.timingCache;
		}

		public @Nullable ProfileShapes getProfileShapes() {
			return this.profileShapes;
		}

		public void setProfileShapes(@Nullable ProfileShapes profileShapes) {
			this.profileShapes = profileShapes;
		}

		public Profile getProfile() {
			return this.profile;
		}

	}

	/**
	 * An explicit TensorRT optimization profile: for each input with dynamic dimensions,
	 * its smallest, optimal and largest shape, such as 'x: 1x3x320x320'. It wins over
	 * profile shapes derived from the warmup.
	 */
	public static class Profile {

		/**
		 * Smallest shape of each dynamic input, by input name.
		 */
		private Map<String, String> min = new LinkedHashMap<>();

		/**
		 * Shape TensorRT tunes for, by input name.
		 */
		private Map<String, String> opt = new LinkedHashMap<>();

		/**
		 * Largest shape of each dynamic input, by input name.
		 */
		private Map<String, String> max = new LinkedHashMap<>();

		public Map<String, String> getMin() {
			return this.min;
		}

		public void setMin(Map<String, String> min) {
			this.min = min;
		}

		public Map<String, String> getOpt() {
			return this.opt;
		}

		public void setOpt(Map<String, String> opt) {
			this.opt = opt;
		}

		public Map<String, String> getMax() {
			return this.max;
		}

		public void setMax(Map<String, String> max) {
			this.max = max;
		}

	}

	/**
	 * Warmup of one model; unset ({@code null}) values inherit {@code onnx.warmup}.
	 */
	public static class Warmup extends WarmupOptions {

		/**
		 * Whether to warm this model up; unset inherits {@code onnx.warmup.enabled}.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Fewest runs per warmup shape of this model; unset inherits {@code
		 * onnx.warmup.iterations}.
		 */
		private @Nullable Integer iterations;

		/**
		 * Most runs per warmup shape of this model; unset inherits {@code
		 * onnx.warmup.max-iterations}.
		 */
		private @Nullable Integer maxIterations;

		/**
		 * Steady-state tolerance of this model, as a fraction; unset inherits {@code
		 * onnx.warmup.steady-tolerance}.
		 */
		private @Nullable Double steadyTolerance;

		/**
		 * Longest time this model's warmup may take; unset inherits {@code
		 * onnx.warmup.timeout}.
		 */
		private @Nullable Duration timeout;

		/**
		 * What to do when this model's warmup fails; unset inherits {@code
		 * onnx.warmup.on-failure}.
		 */
		private @Nullable WarmupFailureAction onFailure;

		/**
		 * What this model's warmup input tensors are filled with; unset inherits {@code
		 * onnx.warmup.data}.
		 */
		private @Nullable WarmupData data;

		/**
		 * Most bytes of input one warmup sample of this model may have; unset inherits
		 * {@code onnx.warmup.max-input-size}.
		 */
		private @Nullable DataSize maxInputSize;

		/**
		 * Warmup shapes, one entry per shape: input name to dimensions such as
		 * '1x3x640x640'. Needed when the model has dynamic dimensions.
		 */
		private List<Map<String, String>> shapes = new ArrayList<>();

		/**
		 * Warmup samples of real data, run after the shapes, one entry per sample: input
		 * name to the location of a NumPy .npy file such as
		 * 'classpath:/warmup/page-640.npy', whose shape is the input's.
		 */
		private List<Map<String, String>> samples = new ArrayList<>();

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Integer getIterations() {
			return this.iterations;
		}

		public void setIterations(@Nullable Integer iterations) {
			this.iterations = iterations;
		}

		public @Nullable Integer getMaxIterations() {
			return this.maxIterations;
		}

		public void setMaxIterations(@Nullable Integer maxIterations) {
			this.maxIterations = maxIterations;
		}

		public @Nullable Double getSteadyTolerance() {
			return this.steadyTolerance;
		}

		public void setSteadyTolerance(@Nullable Double steadyTolerance) {
			this.steadyTolerance = steadyTolerance;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable WarmupFailureAction getOnFailure() {
			return this.onFailure;
		}

		public void setOnFailure(@Nullable WarmupFailureAction onFailure) {
			this.onFailure = onFailure;
		}

		public @Nullable WarmupData getData() {
			return this.data;
		}

		public void setData(@Nullable WarmupData data) {
			this.data = data;
		}

		public @Nullable DataSize getMaxInputSize() {
			return this.maxInputSize;
		}

		public void setMaxInputSize(@Nullable DataSize maxInputSize) {
			this.maxInputSize = maxInputSize;
		}

		public List<Map<String, String>> getShapes() {
			return this.shapes;
		}

		public void setShapes(List<Map<String, String>> shapes) {
			this.shapes = shapes;
		}

		public List<Map<String, String>> getSamples() {
			return this.samples;
		}

		public void setSamples(List<Map<String, String>> samples) {
			this.samples = samples;
		}

	}

	/**
	 * Dynamic batching of one model. Its settings start unset ({@code null}) and unset
	 * values inherit {@code onnx.batching}.
	 */
	public static class Batching extends BatchingOptions {

		/**
		 * Whether runs through OnnxInference are queued and run in batches.
		 */
		private boolean enabled;

		/**
		 * Batch dimension of an input or output where it is not 0, by name, such as
		 * 'state: 1' for a recurrent state shaped [2, batch, 128].
		 */
		private Map<String, Integer> dimensions = new LinkedHashMap<>();

		public Batching() {
			super(false);
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Map<String, Integer> getDimensions() {
			return this.dimensions;
		}

		public void setDimensions(Map<String, Integer> dimensions) {
			this.dimensions = dimensions;
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
		private @Nullable Integer intraOpThreads;

		/**
		 * Threads used to run independent operators at once (parallel execution mode
		 * only); 0 lets ONNX Runtime choose.
		 */
		private @Nullable Integer interOpThreads;

		/**
		 * Whether operators run one after another or, where independent, in parallel.
		 */
		private @Nullable ExecutionMode executionMode;

		/**
		 * Graph optimization level.
		 */
		private @Nullable OptimizationLevel optimizationLevel;

		/**
		 * Whether ONNX Runtime plans memory from the shapes it has seen.
		 */
		private @Nullable Boolean memoryPattern;

		/**
		 * Whether the CPU memory arena is used.
		 */
		private @Nullable Boolean cpuArena;

		/**
		 * File ONNX Runtime writes the optimized graph to, for inspection or faster later
		 * loads.
		 */
		private @Nullable String optimizedModelPath;

		/**
		 * Raw session configuration entries, by ONNX Runtime key name.
		 */
		private Map<String, String> config = new LinkedHashMap<>();

		public @Nullable Integer getIntraOpThreads() {
			return this.intraOpThreads;
		}

		public void setIntraOpThreads(@Nullable Integer intraOpThreads) {
			this.intraOpThreads = intraOpThreads;
		}

		public @Nullable Integer getInterOpThreads() {
			return this.interOpThreads;
		}

		public void setInterOpThreads(@Nullable Integer interOpThreads) {
			this.interOpThreads = interOpThreads;
		}

		public @Nullable ExecutionMode getExecutionMode() {
			return this.executionMode;
		}

		public void setExecutionMode(@Nullable ExecutionMode executionMode) {
			this.executionMode = executionMode;
		}

		public @Nullable OptimizationLevel getOptimizationLevel() {
			return this.optimizationLevel;
		}

		public void setOptimizationLevel(@Nullable OptimizationLevel optimizationLevel) {
			this.optimizationLevel = optimizationLevel;
		}

		public @Nullable Boolean getMemoryPattern() {
			return this.memoryPattern;
		}

		public void setMemoryPattern(@Nullable Boolean memoryPattern) {
			this.memoryPattern = memoryPattern;
		}

		public @Nullable Boolean getCpuArena() {
			return this.cpuArena;
		}

		public void setCpuArena(@Nullable Boolean cpuArena) {
			this.cpuArena = cpuArena;
		}

		public @Nullable String getOptimizedModelPath() {
			return this.optimizedModelPath;
		}

		public void setOptimizedModelPath(@Nullable String optimizedModelPath) {
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
	 * Bindings of one model ({@code OnnxInference.binding}): reused input and output
	 * buffers.
	 */
	public static class Binding {

		/**
		 * Most idle bindings kept per input shape for reuse; 0 keeps none. When all are
		 * in use, a new binding is created and dropped when closed.
		 */
		private int poolSize = 8;

		public int getPoolSize() {
			return this.poolSize;
		}

		public void setPoolSize(int poolSize) {
			this.poolSize = poolSize;
		}

	}

	/**
	 * Tuning of one model at start-up: each candidate set of settings is warmed and timed
	 * at the warmup samples, and the fastest one serves the model.
	 */
	public static class Tuning {

		/**
		 * Whether to try the candidates at start-up and keep the fastest. Tuning is part
		 * of the warmup: readiness waits for it and the warmup timeout covers it.
		 */
		private boolean enabled;

		/**
		 * Candidate settings, each a set of overrides of this model's cuda, tensorrt and
		 * session keys. List the cheaper setting first: candidates within 3% of the
		 * fastest go to the one listed first. Empty means the defaults: on CUDA,
		 * cudnn-conv-algo-search HEURISTIC and EXHAUSTIVE (each also with
		 * cudnn-conv1d-pad-to-nc1d when the model has a 1-D convolution); on the CPU,
		 * session.intra-op-threads 1, half the cores and all of them.
		 */
		private List<Candidate> candidates = new ArrayList<>();

		/**
		 * Timed runs per candidate and warmup sample, after the candidate's warmup.
		 */
		private int runs = 20;

		/**
		 * Where the tuning choice of the model is remembered: while the model file, ONNX
		 * Runtime, the provider, the device, the candidates and the warmup samples stay
		 * the same, the remembered choice is used and tuning skipped. Its folder defaults
		 * to ~/.cache/onnx-gpu-spring-boot/tuning (under XDG_CACHE_HOME when set).
		 */
		@NestedConfigurationProperty
		private final CacheProperties cache = new CacheProperties();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<Candidate> getCandidates() {
			return this.candidates;
		}

		public void setCandidates(List<Candidate> candidates) {
			this.candidates = candidates;
		}

		public int getRuns() {
			return this.runs;
		}

		public void setRuns(int runs) {
			this.runs = runs;
		}

		public CacheProperties getCache() {
			return this.cache;
		}

	}

	/**
	 * One tuning candidate: overrides of the model's own settings.
	 */
	public static class Candidate {

		private final Cuda cuda = new Cuda();

		private final Tensorrt tensorrt = new Tensorrt();

		private final Session session = new Session();

		public Cuda getCuda() {
			return this.cuda;
		}

		public Tensorrt getTensorrt() {
			return this.tensorrt;
		}

		public Session getSession() {
			return this.session;
		}

	}

	/**
	 * Reloads of one model: new versions served without a restart.
	 */
	public static class Reload {

		/**
		 * How often the model's file: location is checked for a new version (by SHA-256),
		 * reloaded once it stays the same over two checks in a row. Unset, the model is
		 * reloaded only through POST /actuator/onnx/NAME. Other locations are refused.
		 */
		private @Nullable Duration poll;

		/**
		 * Whether a new version may have other inputs or outputs than the running one.
		 * Refused otherwise; never allowed for a batched model.
		 */
		private boolean allowSignatureChange = false;

		public @Nullable Duration getPoll() {
			return this.poll;
		}

		public void setPoll(@Nullable Duration poll) {
			this.poll = poll;
		}

		public boolean isAllowSignatureChange() {
			return this.allowSignatureChange;
		}

		public void setAllowSignatureChange(boolean allowSignatureChange) {
			this.allowSignatureChange = allowSignatureChange;
		}

	}

}
