package io.github.onnxgpu.boot.actuate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtHardwareDevice;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.TensorInfo;
import org.jspecify.annotations.Nullable;
import org.springframework.lang.Contract;

import io.github.onnxgpu.boot.actuate.OnnxDescriptors.BatchingDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.CandidateDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.CandidateSampleDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.DeviceDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.EmbeddingDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.InstanceDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ModelDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.NativeLibrariesDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ReloadDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ReloadsDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.RequestDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.SampleDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.SettingsDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.TensorDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.TensorrtCacheDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.TuningCacheDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.TuningDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.VersionDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.WarmingDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.WarmupDescriptor;
import io.github.onnxgpu.boot.internal.batching.Batcher;
import io.github.onnxgpu.boot.internal.batching.BatchingSettings;
import io.github.onnxgpu.boot.internal.batching.BatchingStats;
import io.github.onnxgpu.boot.internal.embedding.EmbeddingDescription;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.internal.provider.CudaProviderDefaults;
import io.github.onnxgpu.boot.internal.provider.ProviderChoice;
import io.github.onnxgpu.boot.internal.provider.TensorrtSetup;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ModelDefinition;
import io.github.onnxgpu.boot.internal.session.ModelVersion;
import io.github.onnxgpu.boot.internal.session.ReloadHistory;
import io.github.onnxgpu.boot.internal.tuning.CandidateMeasurement;
import io.github.onnxgpu.boot.internal.tuning.TuningReport;
import io.github.onnxgpu.boot.internal.warmup.SampleInProgress;
import io.github.onnxgpu.boot.internal.warmup.ShapeTimings;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;
import io.github.onnxgpu.boot.internal.warmup.request.WarmupRequestResult;
import io.github.onnxgpu.boot.model.ReloadAttempt;

/**
 * Maps the starter's runtime state (models, their sessions, warmup, tuning, batching and
 * reloads, the native libraries, the warm-up requests) to the {@link OnnxDescriptors
 * records} the {@link OnnxEndpoint} answers with. Durations are shown in milliseconds.
 */
final class OnnxDescriptorMapper {

	private OnnxDescriptorMapper() {
	}

	static ModelDescriptor model(ManagedModel model, EmbeddingDescription.@Nullable Source embeddings) {
		ModelDefinition definition = model.definition();
		ProviderChoice provider = model.provider();
		return new ModelDescriptor(model.status(), provider.active().name(), provider.requested().name(),
				provider.fallbackReason(), provider.fallbackReasons(), definition.describeLocation(),
				millis(model.providerSetup()), millis(model.sessionCreation()), warmup(model.warmupResult()),
				warming(model.sampleInProgress()), tensorrtCache(model), settings(model), tuning(model.tuningReport()),
				tensors(model.inputs()), tensors(model.outputs()), instances(model), batching(model.batcher()),
				version(model), reloads(model), RunsOnDescriptor.of(provider),
				embedding((embeddings != null) ? embeddings.describe(model.name()) : null));
	}

	static @Nullable EmbeddingDescriptor embedding(@Nullable EmbeddingDescription embedding) {
		if (embedding == null) {
			return null;
		}
		return new EmbeddingDescriptor(embedding.tokenizer(), embedding.pooling(), embedding.normalize(),
				embedding.maxLength(), embedding.sequenceBuckets(), embedding.output(), embedding.dimensions(),
				embedding.texts(), embedding.tokens());
	}

	static ReloadDescriptor reload(ReloadAttempt attempt, ManagedModel model) {
		return new ReloadDescriptor(attempt.outcome().name(), attempt.reason(), attempt.startedAt(),
				millis(attempt.duration()), attempt.sha256(), version(model));
	}

	static RequestDescriptor request(WarmupRequestResult result) {
		return new RequestDescriptor(result.method().name(), result.path(), result.url(), result.running(),
				result.startedAt(), result.finishedAt(), result.statuses(),
				result.iterations().stream().map(OnnxDescriptorMapper::millis).toList(), result.error());
	}

	static NativeLibrariesDescriptor nativeLibraries(@Nullable String path, @Nullable NativeLibraryCacheResult cache) {
		if (cache == null) {
			return new NativeLibrariesDescriptor(path, null, null, null, null);
		}
		return new NativeLibrariesDescriptor(path, cache.status(),
				cache.status() == NativeLibraryCacheResult.Status.HIT, cache.reason(), millis(cache.timeSpent()));
	}

	static List<DeviceDescriptor> devices(OrtEnvironment environment) {
		try {
			return environment.getEpDevices().stream().map(OnnxDescriptorMapper::device).toList();
		}
		catch (OrtException | RuntimeException ex) {
			// builds before device discovery, or a discovery failure: nothing to show
			return List.of();
		}
	}

	private static DeviceDescriptor device(OrtEpDevice device) {
		OrtHardwareDevice hardware = device.getDevice();
		Map<String, String> metadata = new TreeMap<>(hardware.getMetadata());
		return new DeviceDescriptor(device.getEpName(), device.getEpVendor(), hardware.getType().name(),
				hardware.getVendor(), hardware.getVendorId(), hardware.getDeviceId(),
				find(metadata, "description", "name"), find(metadata, "memory"), metadata);
	}

	// discovery's keys differ by platform (Description, DxgiVideoMemory, ...)
	private static @Nullable String find(Map<String, String> metadata, String... words) {
		for (var entry : metadata.entrySet()) {
			for (String word : words) {
				if (entry.getKey().toLowerCase().contains(word)) {
					return entry.getValue();
				}
			}
		}
		return null;
	}

	private static VersionDescriptor version(ManagedModel model) {
		ModelVersion version = model.version();
		return new VersionDescriptor(version.sha256(), version.loadedAt(), version.location(), model.generation());
	}

	private static ReloadsDescriptor reloads(ManagedModel model) {
		ReloadHistory history = model.reloads();
		ReloadAttempt last = history.last();
		return new ReloadsDescriptor(history.swapped(), history.failed(),
				(last != null) ? new ReloadDescriptor(last.outcome().name(), last.reason(), last.startedAt(),
						millis(last.duration()), last.sha256(), null) : null);
	}

	private static List<InstanceDescriptor> instances(ManagedModel model) {
		return model.instances()
			.stream()
			.map((instance) -> new InstanceDescriptor(instance.index(), instance.provider().name(), instance.deviceId(),
					instance.runs(), instance.inFlight()))
			.toList();
	}

	private static @Nullable BatchingDescriptor batching(@Nullable Batcher batcher) {
		if (batcher == null) {
			return null;
		}
		BatchingSettings settings = batcher.settings();
		BatchingStats stats = batcher.stats();
		return new BatchingDescriptor(settings.maxBatchSize(), settings.batchSizes(),
				settings.maxDelay().toNanos() / 1e6, settings.queueSize(), settings.timeout().toNanos() / 1e6,
				stats.workers(), batcher.layout().inputDimensions(), batcher.layout().outputDimensions(),
				stats.queueDepth(), stats.batches(), stats.requests(), stats.meanBatchSize(), stats.refusedQueueFull(),
				stats.refusedTimeout(), stats.refusedShuttingDown());
	}

	private static TuningDescriptor tuning(TuningReport report) {
		Path directory = report.cacheDirectory();
		return new TuningDescriptor(report.status(), report.chosen(),
				report.candidates().stream().map(OnnxDescriptorMapper::candidate).toList(),
				new TuningCacheDescriptor((directory != null) ? directory.toString() : null, report.cacheHit()),
				report.tuningMillis(), report.message());
	}

	private static CandidateDescriptor candidate(CandidateMeasurement measurement) {
		return new CandidateDescriptor(measurement.settings(),
				measurement.samples()
					.stream()
					.map((sample) -> new CandidateSampleDescriptor(sample.inputs(), sample.firstMillis(),
							sample.p50Millis(), sample.p90Millis()))
					.toList(),
				measurement.sumP50Millis(), measurement.warmupMillis(), measurement.error());
	}

	private static @Nullable TensorrtCacheDescriptor tensorrtCache(ManagedModel model) {
		TensorrtSetup tensorrt = model.tensorrt();
		if (tensorrt == null || model.provider().active() != OrtProvider.TENSOR_RT) {
			return null;
		}
		WarmupResult warmup = model.warmupResult();
		Double firstRun = (warmup != null && !warmup.samples().isEmpty()) ? millis(warmup.samples().get(0).first())
				: null;
		Path directory = tensorrt.engineCacheDirectory();
		return new TensorrtCacheDescriptor((directory != null) ? directory.toString() : null, tensorrt.cacheState(),
				firstRun);
	}

	private static @Nullable WarmupDescriptor warmup(@Nullable WarmupResult result) {
		if (result == null) {
			return null;
		}
		List<SampleDescriptor> samples = result.samples().stream().map(OnnxDescriptorMapper::sample).toList();
		return new WarmupDescriptor(millis(result.duration()), result.startedAt(), result.finishedAt(), result.error(),
				samples);
	}

	private static @Nullable WarmingDescriptor warming(@Nullable SampleInProgress running) {
		return (running != null)
				? new WarmingDescriptor(running.sample().index(), running.sample().dimensions(), running.since())
				: null;
	}

	private static SampleDescriptor sample(ShapeTimings timings) {
		List<Double> iterations = timings.iterations().stream().map(OnnxDescriptorMapper::millis).toList();
		return new SampleDescriptor(timings.shape().dimensions(), iterations, timings.steady(), millis(timings.first()),
				millis(timings.last()));
	}

	private static SettingsDescriptor settings(ManagedModel model) {
		ModelDefinition definition = model.definition();
		Map<String, String> sent = definition.cuda().enabled() ? definition.cuda().options() : null;
		boolean onCuda = model.provider().active() == OrtProvider.CUDA;
		TensorrtSetup tensorrt = model.tensorrt();
		Boolean tensorrtActive = (tensorrt != null) ? model.provider().active() == OrtProvider.TENSOR_RT : null;
		return new SettingsDescriptor(sent, onCuda ? CudaProviderDefaults.effective(sent) : null,
				(tensorrt != null) ? tensorrt.options() : null, tensorrtActive, definition.session().describe());
	}

	private static Map<String, TensorDescriptor> tensors(Map<String, NodeInfo> nodes) {
		Map<String, TensorDescriptor> tensors = new LinkedHashMap<>();
		nodes.forEach((name, node) -> {
			if (node.getInfo() instanceof TensorInfo tensor) {
				tensors.put(name, new TensorDescriptor(tensor.type.name(), tensor.getShape()));
			}
			else {
				tensors.put(name, new TensorDescriptor(node.getInfo().toString(), null));
			}
		});
		return tensors;
	}

	@Contract("!null -> !null")
	private static @Nullable Double millis(@Nullable Duration duration) {
		return (duration != null) ? duration.toNanos() / 1_000_000.0 : null;
	}

}
