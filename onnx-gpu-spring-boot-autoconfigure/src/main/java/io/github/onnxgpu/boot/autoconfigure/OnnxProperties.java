package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.model.CudaFallback;
import io.github.onnxgpu.boot.model.ExecutionMode;
import io.github.onnxgpu.boot.model.OptimizationLevel;
import io.github.onnxgpu.boot.model.OrtLogLevel;
import io.github.onnxgpu.boot.model.ProfileShapes;
import io.github.onnxgpu.boot.model.WarmupData;
import io.github.onnxgpu.boot.model.WarmupFailureAction;

/**
 * Configuration properties for ONNX Runtime sessions, their CUDA and TensorRT execution
 * providers and their warmup.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(OnnxProperties.PREFIX)
public class OnnxProperties {

	/**
	 * The prefix of the starter's properties.
	 */
	public static final String PREFIX = "onnx";

	private final Cuda cuda = new Cuda();

	private final Tensorrt tensorrt = new Tensorrt();

	private final Warmup warmup = new Warmup();

	private final Shutdown shutdown = new Shutdown();

	private final Runtime runtime = new Runtime();

	private final Download download = new Download();

	private final Batching batching = new Batching();

	/**
	 * Models to load, by name. Each becomes an OrtSession bean qualified with its name.
	 */
	private final Map<String, Model> models = new LinkedHashMap<>();

	/**
	 * Execution provider libraries to register with ONNX Runtime before any session is
	 * created, by registration name: the path of each plugin provider's shared library,
	 * such as a CUDA plugin provider, TensorRT RTX or OpenVINO. A model then asks for the
	 * provider by name with 'onnx.models.NAME.execution-provider.name'.
	 */
	private final Map<String, Path> executionProviderLibraries = new LinkedHashMap<>();

	public Cuda getCuda() {
		return this.cuda;
	}

	public Tensorrt getTensorrt() {
		return this.tensorrt;
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

	public Runtime getRuntime() {
		return this.runtime;
	}

	public Download getDownload() {
		return this.download;
	}

	public Batching getBatching() {
		return this.batching;
	}

	public Map<String, Path> getExecutionProviderLibraries() {
		return this.executionProviderLibraries;
	}

	/**
	 * Downloads at start-up: models and warm-up request bodies at http: and https:
	 * locations. They stream to a temporary file, deleted when no longer needed.
	 */
	public static class Download {

		// the default: a server that accepts connections does so in milliseconds, even
		// across regions; seconds more are a wrong host or a firewall that drops packets

		/**
		 * How long connecting to the server may take.
		 */
		private Duration connectTimeout = Duration.ofSeconds(10);

		// the default: long enough for an object store or a proxy to look up a large file
		// before its first byte, far shorter than a silence that means the server hangs

		/**
		 * How long the server may stay silent, before it answers or between two parts of
		 * its answer.
		 */
		private Duration readTimeout = Duration.ofSeconds(30);

		// the default: a 1.5 GB model at 20 Mbit/s takes 10 minutes, the default warmup
		// timeout; a server that trickles bytes is stopped then

		/**
		 * How long one download may take in all.
		 */
		private Duration timeout = Duration.ofMinutes(10);

		/**
		 * Folder of the temporary files downloads are written to. Defaults to the JVM's
		 * temporary folder (java.io.tmpdir); it needs room for the largest model.
		 */
		private @Nullable Path directory;

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

	}

	/**
	 * ONNX Runtime's process-wide settings.
	 */
	public static class Runtime {

		/**
		 * Least severe of ONNX Runtime's own log lines to print, for its process-wide
		 * environment. Applies only when the starter creates the environment.
		 */
		private OrtLogLevel logLevel = OrtLogLevel.WARNING;

		public OrtLogLevel getLogLevel() {
			return this.logLevel;
		}

		public void setLogLevel(OrtLogLevel logLevel) {
			this.logLevel = logLevel;
		}

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
	 * CUDA execution provider settings shared by all models. The initialisers of its
	 * fields are the defaults; {@link ModelCuda} inherits them.
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
		 * Whether to look for an NVIDIA driver before trying CUDA for models that may
		 * fall back to the CPU, and skip the attempt (seconds of library unpacking) on
		 * hosts that have none.
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
	 * CUDA settings of one model; unset ({@code null}) values inherit {@code onnx.cuda}.
	 */
	public static class ModelCuda extends CudaOptions {

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
	 * TensorRT execution provider settings shared by all models. The initialisers of its
	 * fields are the defaults; {@link ModelTensorrt} inherits them.
	 */
	public static class Tensorrt extends TensorrtOptions {

		/**
		 * Whether to try the TensorRT execution provider first, with CUDA registered
		 * after it for the nodes TensorRT does not take.
		 */
		private boolean enabled = false;

		private final TensorrtCache engineCache = new TensorrtCache();

		private final TensorrtCache timingCache = new TensorrtCache();

		/**
		 * Where the optimization profile of inputs with dynamic dimensions comes from
		 * when no explicit profile is configured: auto derives it from the warmup shapes.
		 */
		private ProfileShapes profileShapes = ProfileShapes.AUTO;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public TensorrtCache getEngineCache() {
			return this.engineCache;
		}

		public TensorrtCache getTimingCache() {
			return this.timingCache;
		}

		public ProfileShapes getProfileShapes() {
			return this.profileShapes;
		}

		public void setProfileShapes(ProfileShapes profileShapes) {
			this.profileShapes = profileShapes;
		}

	}

	/**
	 * A TensorRT cache shared by all models: built engines, or layer timings that make
	 * later builds faster.
	 */
	public static class TensorrtCache {

		/**
		 * Whether the cache is kept between starts.
		 */
		private boolean enabled = true;

		/**
		 * Folder under which each model gets a folder keyed by its SHA-256, the ONNX
		 * Runtime version and the settings that change the engine. Defaults to
		 * 'onnx-gpu-spring-boot/tensorrt' under $XDG_CACHE_HOME or ~/.cache.
		 */
		private @Nullable Path directory;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

	}

	/**
	 * TensorRT settings of one model; unset ({@code null}) values inherit
	 * {@code onnx.tensorrt}.
	 */
	public static class ModelTensorrt extends TensorrtOptions {

		/**
		 * Whether to try the TensorRT execution provider first for this model; unset
		 * inherits {@code onnx.tensorrt.enabled}.
		 */
		private @Nullable Boolean enabled;

		private final Cache engineCache = new Cache();

		private final Cache timingCache = new Cache();

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

		public Cache getEngineCache() {
			return this.engineCache;
		}

		public Cache getTimingCache() {
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
	 * Warmup settings shared by all models. The initialisers of its fields are the
	 * defaults; {@link ModelWarmup} inherits them.
	 */
	public static class Warmup extends WarmupOptions {

		/**
		 * Whether to warm models up when the application is ready, before it accepts
		 * traffic.
		 */
		private boolean enabled = true;

		/**
		 * Fewest runs per warmup shape.
		 */
		private int iterations = 3;

		/**
		 * Most runs per warmup shape: after the fewest, a shape runs on until its last
		 * three runs are within the steady-state tolerance of their median, this many
		 * runs, or the timeout.
		 */
		private int maxIterations = 20;

		/**
		 * How far the last three runs of a warmup shape may be from their median, as a
		 * fraction of it, for the shape to count as steady: 0.1 is 10%.
		 */
		private double steadyTolerance = 0.1;

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
		 * What the warmup input tensors are filled with.
		 */
		private WarmupData data = WarmupData.ZEROS;

		// the default is far above a real request (a 1x3x640x640 float image is 4.9 MB, a
		// batch of 32 of them 157 MB), far below what a mistyped dimension asks for
		// (1x3x6400x6400 is 492 MB of input, and gigabytes of activations)

		/**
		 * Most bytes of input one warmup sample may have, all its inputs together: a
		 * larger sample (a mistyped dimension, such as 6400 for 640) is refused at
		 * start-up before it runs, as its run would take memory of that order and more.
		 */
		private DataSize maxInputSize = DataSize.ofMegabytes(256);

		/**
		 * How many models are warmed up at once. Models warming on the CPU at once
		 * distort each other's timings (and so the steady-state check) on small hosts.
		 */
		private int parallelism = 1;

		/**
		 * Requests the application sends to itself after the models are warm and before
		 * it accepts traffic, so that the whole request path is compiled.
		 */
		private List<WarmupRequest> requests = new ArrayList<>();

		/**
		 * Longest time one run of a warm-up request may take, its whole answer read. A
		 * run over half of it is logged as a warning.
		 */
		private Duration requestTimeout = Duration.ofSeconds(30);

		/**
		 * Longest time all warm-up requests together may take, every run of each. When it
		 * runs out, the request running is stopped and the others are not sent.
		 */
		private Duration allRequestsTimeout = Duration.ofMinutes(2);

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

		public int getMaxIterations() {
			return this.maxIterations;
		}

		public void setMaxIterations(int maxIterations) {
			this.maxIterations = maxIterations;
		}

		public double getSteadyTolerance() {
			return this.steadyTolerance;
		}

		public void setSteadyTolerance(double steadyTolerance) {
			this.steadyTolerance = steadyTolerance;
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

		public DataSize getMaxInputSize() {
			return this.maxInputSize;
		}

		public void setMaxInputSize(DataSize maxInputSize) {
			this.maxInputSize = maxInputSize;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public Duration getAllRequestsTimeout() {
			return this.allRequestsTimeout;
		}

		public void setAllRequestsTimeout(Duration allRequestsTimeout) {
			this.allRequestsTimeout = allRequestsTimeout;
		}

		public int getParallelism() {
			return this.parallelism;
		}

		public void setParallelism(int parallelism) {
			this.parallelism = parallelism;
		}

		public List<WarmupRequest> getRequests() {
			return this.requests;
		}

		public void setRequests(List<WarmupRequest> requests) {
			this.requests = requests;
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
		private @Nullable Resource location;

		/**
		 * Expected SHA-256 of the model file, in hex. A mismatch stops start-up.
		 */
		private @Nullable String sha256;

		private final ModelCuda cuda = new ModelCuda();

		private final ModelTensorrt tensorrt = new ModelTensorrt();

		private final Session session = new Session();

		private final ModelWarmup warmup = new ModelWarmup();

		private final Binding binding = new Binding();

		private final Tuning tuning = new Tuning();

		private final ModelBatching batching = new ModelBatching();

		private final Reload reload = new Reload();

		private final ModelExecutionProvider executionProvider = new ModelExecutionProvider();

		/**
		 * Sessions of the model, each warmed (and tuned once, the choice reused); runs go
		 * to the least busy. On the CPU, more than one splits the cores between them
		 * unless 'session.intra-op-threads' is set.
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

		public ModelCuda getCuda() {
			return this.cuda;
		}

		public ModelTensorrt getTensorrt() {
			return this.tensorrt;
		}

		public Session getSession() {
			return this.session;
		}

		public ModelWarmup getWarmup() {
			return this.warmup;
		}

		public Binding getBinding() {
			return this.binding;
		}

		public Tuning getTuning() {
			return this.tuning;
		}

		public ModelBatching getBatching() {
			return this.batching;
		}

		public Reload getReload() {
			return this.reload;
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

	}

	/**
	 * Dynamic batching defaults shared by all models; each model turns batching on with
	 * 'onnx.models.NAME.batching.enabled' and may override any of these.
	 */
	public static class Batching {

		/**
		 * Most samples in one batch, along the batch dimension. Batches are formed at the
		 * sizes warmed at start-up: the powers of two below it, and itself.
		 */
		private int maxBatchSize = 16;

		/**
		 * Longest the first run of a batch waits for others to join. 0 runs whatever is
		 * queued as soon as a batch worker is free.
		 */
		private Duration maxDelay = Duration.ZERO;

		/**
		 * Most runs waiting for a batch; beyond it a caller is refused at once with an
		 * OnnxModelBusyException.
		 */
		private int queueSize = 256;

		/**
		 * Longest a run may wait in the queue before it is refused with an
		 * OnnxModelBusyException.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		/**
		 * Batches run at once. Unset: one per core on the CPU (each session then gets an
		 * equal share of the cores as intra-op threads), one per instance on a GPU.
		 */
		private @Nullable Integer workers;

		public int getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public int getQueueSize() {
			return this.queueSize;
		}

		public void setQueueSize(int queueSize) {
			this.queueSize = queueSize;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable Integer getWorkers() {
			return this.workers;
		}

		public void setWorkers(@Nullable Integer workers) {
			this.workers = workers;
		}

	}

	/**
	 * Dynamic batching of one model; unset values inherit 'onnx.batching'.
	 */
	public static class ModelBatching {

		/**
		 * Whether runs through OnnxInference are queued and run in batches.
		 */
		private boolean enabled;

		/**
		 * Most samples in one batch. Unset: 'onnx.batching.max-batch-size'.
		 */
		private @Nullable Integer maxBatchSize;

		/**
		 * Longest the first run of a batch waits for others. Unset:
		 * 'onnx.batching.max-delay'.
		 */
		private @Nullable Duration maxDelay;

		/**
		 * Most runs waiting for a batch. Unset: 'onnx.batching.queue-size'.
		 */
		private @Nullable Integer queueSize;

		/**
		 * Longest a run may wait in the queue. Unset: 'onnx.batching.timeout'.
		 */
		private @Nullable Duration timeout;

		/**
		 * Batches run at once. Unset: 'onnx.batching.workers'.
		 */
		private @Nullable Integer workers;

		/**
		 * Batch dimension of an input or output where it is not 0, by name, such as
		 * 'state: 1' for a recurrent state shaped [2, batch, 128].
		 */
		private Map<String, Integer> dimensions = new LinkedHashMap<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Integer getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(@Nullable Integer maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		public @Nullable Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(@Nullable Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public @Nullable Integer getQueueSize() {
			return this.queueSize;
		}

		public void setQueueSize(@Nullable Integer queueSize) {
			this.queueSize = queueSize;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable Integer getWorkers() {
			return this.workers;
		}

		public void setWorkers(@Nullable Integer workers) {
			this.workers = workers;
		}

		public Map<String, Integer> getDimensions() {
			return this.dimensions;
		}

		public void setDimensions(Map<String, Integer> dimensions) {
			this.dimensions = dimensions;
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

		private final Cache cache = new Cache();

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

		public Cache getCache() {
			return this.cache;
		}

		/**
		 * Where the tuning choice of a model is remembered.
		 */
		public static class Cache {

			/**
			 * Whether to remember the choice and skip tuning while the model file, ONNX
			 * Runtime, the provider, the device, the candidates and the warmup samples
			 * stay the same.
			 */
			private boolean enabled = true;

			/**
			 * Folder of the remembered choices. Defaults to
			 * ~/.cache/onnx-gpu-spring-boot/tuning (under XDG_CACHE_HOME when set).
			 */
			private @Nullable Path directory;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public @Nullable Path getDirectory() {
				return this.directory;
			}

			public void setDirectory(@Nullable Path directory) {
				this.directory = directory;
			}

		}

	}

	/**
	 * One tuning candidate: overrides of the model's own settings.
	 */
	public static class Candidate {

		private final ModelCuda cuda = new ModelCuda();

		private final ModelTensorrt tensorrt = new ModelTensorrt();

		private final Session session = new Session();

		public ModelCuda getCuda() {
			return this.cuda;
		}

		public ModelTensorrt getTensorrt() {
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
	 * Warmup of one model; unset ({@code null}) values inherit {@code onnx.warmup}.
	 */
	public static class ModelWarmup extends WarmupOptions {

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

}
