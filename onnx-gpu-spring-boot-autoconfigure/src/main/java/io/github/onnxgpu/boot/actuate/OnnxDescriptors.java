package io.github.onnxgpu.boot.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.internal.provider.TensorrtCacheState;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.model.ModelStatus;

/**
 * The typed answers of the {@link OnnxEndpoint}, serialised by the actuator's JSON
 * mapper: data only, built by {@link OnnxDescriptorMapper}, their reflection hints
 * registered by {@link OnnxEndpointRuntimeHints}.
 */
final class OnnxDescriptors {

	private OnnxDescriptors() {
	}

	/**
	 * ONNX Runtime and every model.
	 *
	 * @param onnxRuntimeVersion the ONNX Runtime version
	 * @param providers the execution providers the starter adds (CPU, CUDA, TensorRT) and
	 * any other compiled into the ONNX Runtime artifact: whether each is compiled in and
	 * whether it loads on this host
	 * @param devices the execution providers and hardware devices ONNX Runtime's device
	 * discovery pairs: the CPU provider and providers registered as libraries, not those
	 * added through session options as CUDA and TensorRT are
	 * @param nativeLibraries where the native libraries are loaded from ({@code path},
	 * {@code null} when ONNX Runtime unpacked them itself) and what the native library
	 * cache did
	 * @param models the models by name
	 * @param requests the warm-up requests sent through the application, the one being
	 * sent last while it runs
	 */
	record OnnxDescriptor(String onnxRuntimeVersion, List<ProviderDescriptor> providers, List<DeviceDescriptor> devices,
			NativeLibrariesDescriptor nativeLibraries, Map<String, ModelDescriptor> models,
			List<RequestDescriptor> requests) implements OperationResponseBody {
	}

	/**
	 * An execution provider of the ONNX Runtime artifact.
	 *
	 * @param name the provider, as {@code OrtProvider} names it
	 * @param compiledIn whether the ONNX Runtime artifact on the class path has it
	 * ({@code onnxruntime_gpu} has CUDA and TensorRT, {@code onnxruntime} has neither)
	 * @param loadable whether ONNX Runtime can add it to a session on this host (its
	 * libraries and theirs load), {@code null} for a provider the starter does not try
	 * @param reason why it cannot load or was not tried, {@code null} when it loads
	 */
	@JsonInclude(Include.ALWAYS)
	record ProviderDescriptor(String name, boolean compiledIn, @Nullable Boolean loadable, @Nullable String reason) {
	}

	/**
	 * Where ONNX Runtime's native libraries are loaded from. Every key is always present,
	 * {@code null} where it does not apply.
	 *
	 * @param path the folder ONNX Runtime loads its libraries from, {@code null} when it
	 * unpacked them into a temporary folder of its own
	 * @param cache what the native library cache did, {@code null} when the cache is not
	 * part of the application
	 * @param cacheHit whether a complete cache was found and used as it is
	 * @param cacheReason why the cache did what it did
	 * @param cacheMillis the time spent checking and, if needed, filling the cache
	 */
	@JsonInclude(Include.ALWAYS)
	record NativeLibrariesDescriptor(@Nullable String path, NativeLibraryCacheResult.@Nullable Status cache,
			@Nullable Boolean cacheHit, @Nullable String cacheReason, @Nullable Double cacheMillis) {
	}

	/**
	 * A warm-up request sent by the application to itself.
	 *
	 * @param method the HTTP method
	 * @param path the path, query values masked
	 * @param url the URL called, port included, query values masked
	 * @param running whether it is being sent now
	 * @param startedAt when its first run started
	 * @param finishedAt when its last run ended, {@code null} while it runs
	 * @param statuses the status of each run so far
	 * @param iterationsMillis the duration of each run so far
	 * @param error why it failed, {@code null} when it succeeded or still runs
	 */
	@JsonInclude(Include.ALWAYS)
	record RequestDescriptor(String method, String path, String url, boolean running, Instant startedAt,
			@Nullable Instant finishedAt, List<Integer> statuses, List<Double> iterationsMillis,
			@Nullable String error) {
	}

	/**
	 * The warmup sample a model is running now.
	 *
	 * @param sample the sample's position in {@code warmup.shapes}
	 * @param inputs the dimensions of each input
	 * @param since when its first run started
	 */
	record WarmingDescriptor(int sample, Map<String, long[]> inputs, Instant since) {
	}

	/**
	 * One model.
	 *
	 * @param status where the model is in its life
	 * @param provider the execution provider in use
	 * @param requestedProvider the execution provider the configuration asked for
	 * @param fallbackReason why the requested provider is not in use, {@code null} when
	 * it is
	 * @param fallbackReasons every step of the provider chain that failed, as
	 * {@code PROVIDER: reason}
	 * @param location the model file, {@code null} when no location is set
	 * @param providerSetupMillis time to choose and add the execution provider
	 * @param sessionCreationMillis time to create the session, provider set-up included
	 * @param warmup the warmup, {@code null} before it finished or when disabled
	 * @param warming the warmup sample running now, {@code null} when none runs
	 * @param tensorrtCache the TensorRT engine cache, {@code null} when the model does
	 * not run on TensorRT
	 * @param settings the settings in force, those of the chosen candidate when the model
	 * is tuned
	 * @param tuning what start-up tuning measured and chose
	 * @param inputs the model's inputs ({@code -1} marks a dynamic dimension)
	 * @param outputs the model's outputs
	 * @param instances the sessions serving the model
	 * @param batching the model's batching, {@code null} when its runs are not batched
	 * @param version the version of the model file that serves the model
	 * @param reloads the reloads of the model so far
	 * @param runsOn the execution provider and the devices the model runs on
	 * @param embedding the model's text embedding settings, {@code null} when it has no
	 * {@code embedding} section
	 */
	@JsonInclude(Include.ALWAYS)
	record ModelDescriptor(ModelStatus status, String provider, String requestedProvider,
			@Nullable String fallbackReason, List<String> fallbackReasons, @Nullable String location,
			Double providerSetupMillis, Double sessionCreationMillis, @Nullable WarmupDescriptor warmup,
			@Nullable WarmingDescriptor warming, @Nullable TensorrtCacheDescriptor tensorrtCache,
			SettingsDescriptor settings, TuningDescriptor tuning, Map<String, TensorDescriptor> inputs,
			Map<String, TensorDescriptor> outputs, List<InstanceDescriptor> instances,
			@Nullable BatchingDescriptor batching, VersionDescriptor version, ReloadsDescriptor reloads,
			RunsOnDescriptor runsOn, @Nullable EmbeddingDescriptor embedding) implements OperationResponseBody {
	}

	/**
	 * A model served as a text embedding model ({@code onnx.models.<name>.embedding}).
	 *
	 * @param tokenizer the tokenizer.json's location, credentials masked
	 * @param pooling mean, cls or none
	 * @param normalize whether vectors have length 1
	 * @param maxLength the most tokens of a text; longer ones are truncated
	 * @param sequenceBuckets the lengths texts are padded to, each warmed
	 * @param output the output pooled
	 * @param dimensions the length of a vector, {@code null} until known
	 * @param texts texts embedded since start-up
	 * @param tokens their tokens, padding left out
	 */
	record EmbeddingDescriptor(@Nullable String tokenizer, String pooling, boolean normalize, int maxLength,
			List<Integer> sequenceBuckets, String output, @Nullable Integer dimensions, long texts, long tokens) {
	}

	/**
	 * One session serving a model.
	 *
	 * @param index its position; runs go to the least busy
	 * @param provider the execution provider that runs it
	 * @param deviceId its CUDA device, {@code null} on the CPU
	 * @param runs the runs it served
	 * @param inFlight the runs on it now
	 */
	record InstanceDescriptor(int index, String provider, @Nullable Integer deviceId, long runs, int inFlight) {
	}

	/**
	 * A model's dynamic batching: its settings, its batch layout and what it did.
	 *
	 * @param maxBatchSize the most samples in a batch
	 * @param batchSizes the batch sizes formed, each warmed at start-up
	 * @param maxDelayMillis the longest the first run of a batch waits for others
	 * @param queueSize the most runs waiting
	 * @param timeoutMillis the longest a run waits in the queue
	 * @param workers how many batches run at once
	 * @param inputDimensions the batch dimension of each input, -1 for a control input
	 * @param outputDimensions the batch dimension of each output
	 * @param queueDepth runs waiting now
	 * @param batches batches run
	 * @param requests runs served in batches
	 * @param meanBatchSize runs per batch on average
	 * @param refusedQueueFull runs refused because the queue was full
	 * @param refusedTimeout runs refused because they waited too long
	 * @param refusedShuttingDown runs refused at shutdown
	 */
	record BatchingDescriptor(int maxBatchSize, List<Integer> batchSizes, double maxDelayMillis, int queueSize,
			double timeoutMillis, int workers, Map<String, Integer> inputDimensions,
			Map<String, Integer> outputDimensions, int queueDepth, long batches, long requests, double meanBatchSize,
			long refusedQueueFull, long refusedTimeout, long refusedShuttingDown) {
	}

	/**
	 * The version of a model file that serves a model.
	 *
	 * @param sha256 the SHA-256 of the file; for the version loaded at start-up when
	 * nothing there read it, {@code null} until it is read in the background once the
	 * application is ready
	 * @param loadedAt when its sessions were created
	 * @param location where it was read from, credentials masked
	 * @param reload how many reloads were swapped in before it: 0 for the version loaded
	 * at start-up
	 */
	@JsonInclude(Include.ALWAYS)
	record VersionDescriptor(@Nullable String sha256, Instant loadedAt, @Nullable String location, long reload) {
	}

	/**
	 * The reloads of a model.
	 *
	 * @param swapped how many were swapped in
	 * @param failed how many were refused, the old version serving on
	 * @param last the last attempt, {@code null} before the first
	 */
	@JsonInclude(Include.ALWAYS)
	record ReloadsDescriptor(long swapped, long failed, @Nullable ReloadDescriptor last) {
	}

	/**
	 * One reload attempt.
	 *
	 * @param outcome {@code SWAPPED}, {@code FAILED} (refused, the old version serving)
	 * or {@code BUSY} (another reload of the model was running)
	 * @param reason why it failed or was refused, {@code null} when swapped
	 * @param startedAt when it started
	 * @param durationMillis how long it took
	 * @param sha256 the SHA-256 of the file read, {@code null} when it could not be read
	 * @param version the version serving after it, {@code null} in a model's history
	 */
	@JsonInclude(Include.NON_NULL)
	record ReloadDescriptor(String outcome, @Nullable String reason, Instant startedAt, Double durationMillis,
			@Nullable String sha256, @Nullable VersionDescriptor version) implements OperationResponseBody {
	}

	/**
	 * A model's start-up tuning.
	 *
	 * @param status where the model's settings came from
	 * @param chosen the index of the candidate that serves the model, {@code null} when
	 * none does
	 * @param candidates every candidate in order
	 * @param cache the tuning cache
	 * @param tuningMillis how long tuning took, {@code null} when it did not run
	 * @param message why tuning did not apply or failed, {@code null} otherwise
	 */
	@JsonInclude(Include.ALWAYS)
	record TuningDescriptor(TuningStatus status, @Nullable Integer chosen, List<CandidateDescriptor> candidates,
			TuningCacheDescriptor cache, @Nullable Double tuningMillis, @Nullable String message) {
	}

	/**
	 * One tuning candidate.
	 *
	 * @param settings the candidate's overrides as written
	 * @param samples its timings per warmup sample, empty when it was not measured
	 * @param sumP50Millis the sum over the samples of the median run, the figure the
	 * choice compares
	 * @param warmupMillis how long its warmup took
	 * @param error why it failed or was not tried
	 */
	@JsonInclude(Include.ALWAYS)
	record CandidateDescriptor(Map<String, String> settings, List<CandidateSampleDescriptor> samples,
			@Nullable Double sumP50Millis, @Nullable Double warmupMillis, @Nullable String error) {
	}

	/**
	 * One candidate's timings at one warmup sample.
	 *
	 * @param inputs every input's dimensions
	 * @param firstMillis its first warmup run
	 * @param p50Millis the median of its timed runs
	 * @param p90Millis the 90th percentile of its timed runs
	 */
	record CandidateSampleDescriptor(Map<String, long[]> inputs, double firstMillis, double p50Millis,
			double p90Millis) {
	}

	/**
	 * The tuning cache of a model.
	 *
	 * @param directory its folder, {@code null} when the cache is off
	 * @param hit whether the choice was read from it
	 */
	@JsonInclude(Include.ALWAYS)
	record TuningCacheDescriptor(@Nullable String directory, boolean hit) {
	}

	/**
	 * A model's warmup.
	 *
	 * @param durationMillis wall time of the whole warmup
	 * @param startedAt when it started
	 * @param finishedAt when it finished
	 * @param error why it failed, {@code null} when it succeeded
	 * @param samples every sample with every iteration
	 */
	@JsonInclude(Include.ALWAYS)
	record WarmupDescriptor(Double durationMillis, Instant startedAt, Instant finishedAt, @Nullable String error,
			List<SampleDescriptor> samples) {
	}

	/**
	 * One warmup sample.
	 *
	 * @param inputs the dimensions of each input, {@code []} for a scalar
	 * @param iterationsMillis the duration of each run
	 * @param steady whether the last three runs were within the steady-state tolerance of
	 * their median
	 * @param firstMillis the first run, {@code null} when there was none
	 * @param lastMillis the last run, {@code null} when there was none
	 */
	record SampleDescriptor(Map<String, long[]> inputs, List<Double> iterationsMillis, boolean steady,
			@Nullable Double firstMillis, @Nullable Double lastMillis) {
	}

	/**
	 * The settings of a model.
	 *
	 * @param cuda the CUDA options sent, by ONNX Runtime key, {@code null} when CUDA is
	 * disabled
	 * @param cudaEffective every CUDA option in force, ONNX Runtime defaults included,
	 * {@code null} when the model does not run on CUDA
	 * @param tensorrt the TensorRT options by ONNX Runtime key (the derived profile and
	 * the cache paths included): sent when {@code tensorrtActive}, else what was tried or
	 * would have been sent, not in force; {@code null} when TensorRT is not enabled
	 * @param tensorrtActive whether the model runs on TensorRT with these options,
	 * {@code null} when TensorRT is not enabled
	 * @param session the session options set
	 */
	@JsonInclude(Include.ALWAYS)
	record SettingsDescriptor(@Nullable Map<String, String> cuda, @Nullable Map<String, String> cudaEffective,
			@Nullable Map<String, String> tensorrt, @Nullable Boolean tensorrtActive, Map<String, Object> session) {
	}

	/**
	 * A model's TensorRT engine cache.
	 *
	 * @param directory the engine cache folder, {@code null} when the cache is off
	 * @param state {@code HIT} when an engine was already there, {@code BUILT} when
	 * TensorRT built one, {@code DISABLED} when the cache is off
	 * @param firstWarmupRunMillis the first warmup run, {@code null} before warmup;
	 * without a profile TensorRT builds the engine there, with one while the session is
	 * created ({@code sessionCreationMillis})
	 */
	@JsonInclude(Include.ALWAYS)
	record TensorrtCacheDescriptor(@Nullable String directory, TensorrtCacheState state,
			@Nullable Double firstWarmupRunMillis) {
	}

	/**
	 * An execution provider and the hardware device it runs on, as ONNX Runtime's device
	 * discovery reports them.
	 *
	 * @param provider the execution provider, such as {@code CPUExecutionProvider}
	 * @param providerVendor who makes the execution provider
	 * @param type the device type: CPU, GPU or NPU
	 * @param vendor the device's vendor
	 * @param vendorId the device's PCI vendor id
	 * @param deviceId the device's PCI device id
	 * @param name the device's name, where its metadata has one
	 * @param memory the device's memory, where its metadata has it
	 * @param metadata everything else the discovery reports
	 */
	record DeviceDescriptor(String provider, String providerVendor, String type, String vendor, int vendorId,
			int deviceId, @Nullable String name, @Nullable String memory, Map<String, String> metadata) {
	}

	/**
	 * An input or output.
	 *
	 * @param type the element type
	 * @param shape the dimensions, {@code -1} where dynamic; {@code null} for a value
	 * that is not a tensor (a sequence or a map)
	 */
	record TensorDescriptor(String type, long @Nullable [] shape) {
	}

}
