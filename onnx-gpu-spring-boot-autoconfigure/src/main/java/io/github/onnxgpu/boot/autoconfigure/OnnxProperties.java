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

import io.github.onnxgpu.boot.internal.session.ModelDefinition;
import io.github.onnxgpu.boot.internal.startup.DownloadSettings;
import io.github.onnxgpu.boot.model.ExecutionMode;
import io.github.onnxgpu.boot.model.OptimizationLevel;
import io.github.onnxgpu.boot.model.OrtLogLevel;

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

	/**
	 * Models to load, by name. Each becomes an OrtSession bean qualified with its name.
	 */
	private final Map<String, Model> models = new LinkedHashMap<>();

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

	/**
	 * Downloads at start-up: models and warm-up request bodies at http: and https:
	 * locations. They stream to a temporary file, deleted when no longer needed.
	 */
	public static class Download {

		/**
		 * How long connecting to the server may take.
		 */
		private Duration connectTimeout = DownloadSettings.DEFAULT_CONNECT_TIMEOUT;

		/**
		 * How long the server may stay silent, before it answers or between two parts of
		 * its answer.
		 */
		private Duration readTimeout = DownloadSettings.DEFAULT_READ_TIMEOUT;

		/**
		 * How long one download may take in all.
		 */
		private Duration timeout = DownloadSettings.DEFAULT_TIMEOUT;

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
	 * CUDA execution provider settings shared by all models.
	 */
	public static class Cuda extends CudaOptions {

		/**
		 * Whether to look for an NVIDIA driver before trying CUDA for models that may
		 * fall back to the CPU, and skip the attempt (seconds of library unpacking) on
		 * hosts that have none.
		 */
		private boolean probe = true;

		public boolean isProbe() {
			return this.probe;
		}

		public void setProbe(boolean probe) {
			this.probe = probe;
		}

	}

	/**
	 * CUDA settings of one model; unset values inherit {@code onnx.cuda}.
	 */
	public static class ModelCuda extends CudaOptions {

	}

	/**
	 * TensorRT execution provider settings shared by all models.
	 */
	public static class Tensorrt extends TensorrtOptions {

	}

	/**
	 * TensorRT settings of one model; unset values inherit {@code onnx.tensorrt}.
	 */
	public static class ModelTensorrt extends TensorrtOptions {

		private final Profile profile = new Profile();

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
	 * Warmup settings shared by all models.
	 */
	public static class Warmup extends WarmupOptions {

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
	 * Bindings of one model ({@code OnnxInference.binding}): reused input and output
	 * buffers.
	 */
	public static class Binding {

		/**
		 * Most idle bindings kept per input shape for reuse; 0 keeps none. When all are
		 * in use, a new binding is created and dropped when closed.
		 */
		private int poolSize = ModelDefinition.DEFAULT_BINDING_POOL_SIZE;

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
	 * Warmup of one model; unset values inherit {@code onnx.warmup}.
	 */
	public static class ModelWarmup extends WarmupOptions {

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
