package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.model.CudaFallback;
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

	private final OrtRuntime runtime = new OrtRuntime();

	private final Download download = new Download();

	private final Batching batching = new Batching();

	/**
	 * Models to load, by name. Each becomes an OrtSession bean qualified with its name.
	 */
	private final Map<String, OnnxModelProperties> models = new LinkedHashMap<>();

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

	public Map<String, OnnxModelProperties> getModels() {
		return this.models;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public OrtRuntime getRuntime() {
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
	 * ONNX Runtime's process-wide settings (named so as not to hide
	 * {@link java.lang.Runtime}).
	 */
	public static class OrtRuntime {

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

		/**
		 * Longest time shutdown waits for each of the starter's jobs in flight to end:
		 * the runs on a model's sessions, its running batches, a warmup or a reload being
		 * stopped. Past it, a session still in use is left open rather than closed under
		 * a run.
		 */
		private Duration awaitTerminationPeriod = Duration.ofSeconds(30);

		public boolean isHoldEnvironment() {
			return this.holdEnvironment;
		}

		public void setHoldEnvironment(boolean holdEnvironment) {
			this.holdEnvironment = holdEnvironment;
		}

		public Duration getAwaitTerminationPeriod() {
			return this.awaitTerminationPeriod;
		}

		public void setAwaitTerminationPeriod(Duration awaitTerminationPeriod) {
			this.awaitTerminationPeriod = awaitTerminationPeriod;
		}

	}

	/**
	 * CUDA execution provider settings shared by all models. The initialisers of its
	 * fields are the defaults; {@link OnnxModelProperties.Cuda} inherits them.
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
	 * TensorRT execution provider settings shared by all models. The initialisers of its
	 * fields are the defaults; {@link OnnxModelProperties.Tensorrt} inherits them.
	 */
	public static class Tensorrt extends TensorrtOptions {

		/**
		 * Whether to try the TensorRT execution provider first, with CUDA registered
		 * after it for the nodes TensorRT does not take.
		 */
		private boolean enabled = false;

		/**
		 * Cache of built TensorRT engines, each model in a folder keyed by its SHA-256,
		 * the ONNX Runtime version and the settings that change the engine.
		 */
		@NestedConfigurationProperty
		private final CacheProperties engineCache = new CacheProperties();

		/**
		 * Cache of TensorRT layer timings, which make later engine builds faster.
		 */
		@NestedConfigurationProperty
		private final CacheProperties timingCache = new CacheProperties();

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

		public CacheProperties getEngineCache() {
			return this.engineCache;
		}

		public CacheProperties getTimingCache() {
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
	 * Warmup settings shared by all models. The initialisers of its fields are the
	 * defaults; {@link OnnxModelProperties.Warmup} inherits them.
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
	 * Dynamic batching defaults shared by all models; each model turns batching on with
	 * 'onnx.models.NAME.batching.enabled' and may override any of these.
	 */
	public static class Batching extends BatchingOptions {

		public Batching() {
			super(true);
		}

	}

}
