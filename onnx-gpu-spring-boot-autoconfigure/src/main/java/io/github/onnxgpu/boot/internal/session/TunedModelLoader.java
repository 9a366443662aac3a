package io.github.onnxgpu.boot.internal.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.tuning.CandidateMeasurement;
import io.github.onnxgpu.boot.internal.tuning.ConvolutionScan;
import io.github.onnxgpu.boot.internal.tuning.DeviceIdentity;
import io.github.onnxgpu.boot.internal.tuning.TuningCache;
import io.github.onnxgpu.boot.internal.tuning.TuningEntry;
import io.github.onnxgpu.boot.internal.tuning.TuningKey;
import io.github.onnxgpu.boot.internal.tuning.TuningReport;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.internal.warmup.ConfiguredShape;

/**
 * Loads a model that is tuned at start-up: with the choice its tuning cache remembers,
 * creating only the chosen candidate's session, or else with the model's own settings and
 * a tuning job for the warmup. The cache's key is known before any session exists, so it
 * names the providers requested, not the one that runs; the one that ran is in the entry
 * and must match again.
 */
final class TunedModelLoader {

	private static final Log logger = LogFactory.getLog(TunedModelLoader.class);

	private final OnnxSessionFactory factory;

	private final OrtEnvironment environment;

	// checks a new version staged for a reload, null at start-up
	private final @Nullable Consumer<OrtSession> staged;

	TunedModelLoader(OnnxSessionFactory factory, OrtEnvironment environment) {
		this(factory, environment, null);
	}

	TunedModelLoader(OnnxSessionFactory factory, OrtEnvironment environment, @Nullable Consumer<OrtSession> staged) {
		this.factory = factory;
		this.environment = environment;
		this.staged = staged;
	}

	ManagedModel load(ModelDefinition definition, ModelSource source) {
		TuningSettings tuning = definition.tuning();
		TuningCache cache = (tuning.cacheDirectory() != null) ? new TuningCache(tuning.cacheDirectory()) : null;
		TuningKey key = (cache != null) ? key(definition, source) : null;
		if (cache != null && key != null) {
			ManagedModel cached = loadCached(definition, source, cache, key);
			if (cached != null) {
				return cached;
			}
		}
		LoadedSession own = this.factory.open(definition, source);
		List<TuningCandidate> candidates;
		try {
			candidates = candidates(definition, own.provider().active(), source);
		}
		catch (RuntimeException ex) {
			own.closeQuietly();
			throw ex;
		}
		if (candidates.isEmpty()) {
			String property = OnnxModelException.modelProperty(definition.name(), "tuning.candidates");
			String message = "there are no default candidates on " + own.provider().active() + "; list them in "
					+ property;
			logger.warn("ONNX model '" + definition.name() + "' is not tuned: " + message);
			return this.factory.model(own, null, TuningReport.disabled(message), this.staged);
		}
		// tuning needs the warmup on (checked with the properties), and a warmup plan
		// always has a sample: a model with dynamic dimensions and no shapes fails there
		TuningJob job = new TuningJob(candidates, this.factory, source, cache, key);
		return this.factory.model(own, job, new TuningReport(TuningStatus.PENDING, null, unmeasured(candidates),
				job.cacheDirectory(), false, null, null), this.staged);
	}

	private @Nullable ManagedModel loadCached(ModelDefinition definition, ModelSource source, TuningCache cache,
			TuningKey key) {
		TuningEntry entry = cache.find(key);
		if (entry == null) {
			return null;
		}
		OrtProvider provider = provider(entry.provider());
		if (provider == null) {
			return null;
		}
		List<TuningCandidate> candidates = candidates(definition, provider, source);
		if (entry.chosen() < 0 || entry.chosen() >= candidates.size()) {
			return null;
		}
		TuningCandidate chosen = candidates.get(entry.chosen());
		LoadedSession loaded = this.factory.open(definition.withCandidate(chosen), source);
		if (loaded.provider().active() != provider) {
			logger.info("ONNX model '" + definition.name() + "' runs on " + loaded.provider().active()
					+ " but its remembered tuning choice was measured on " + provider + "; tuning again");
			loaded.closeQuietly();
			return null;
		}
		logger.info("ONNX model '" + definition.name() + "': candidate " + entry.chosen() + " " + chosen
				+ " chosen from the tuning cache " + cache.entryFile(key) + " (tuned " + entry.tunedAt() + ")");
		return this.factory.model(loaded, null, new TuningReport(TuningStatus.CACHED, entry.chosen(),
				unmeasured(candidates), cache.directory(), true, null, null), this.staged);
	}

	private static @Nullable OrtProvider provider(String name) {
		for (OrtProvider provider : OrtProvider.values()) {
			if (provider.name().equals(name)) {
				return provider;
			}
		}
		return null;
	}

	// the configured candidates, else the defaults of the provider that runs the model
	private static List<TuningCandidate> candidates(ModelDefinition definition, OrtProvider provider,
			ModelSource source) {
		TuningSettings tuning = definition.tuning();
		if (!tuning.candidates().isEmpty()) {
			return tuning.candidates();
		}
		return switch (provider) {
			case CPU -> tuning.defaults().cpu();
			case CUDA -> hasOneDimensionalConvolution(definition, source) ? tuning.defaults().cudaWithConv1d()
					: tuning.defaults().cuda();
			default -> List.of();
		};
	}

	private static boolean hasOneDimensionalConvolution(ModelDefinition definition, ModelSource source) {
		try (InputStream input = source.open()) {
			return ConvolutionScan.hasOneDimensionalConvolution(input);
		}
		catch (IOException ex) {
			logger.warn("ONNX model '" + definition.name() + "': its graph could not be read to look for 1-D "
					+ "convolutions (" + ex.getMessage() + "); the default candidates leave "
					+ "cudnn-conv1d-pad-to-nc1d unset");
			return false;
		}
	}

	private @Nullable TuningKey key(ModelDefinition definition, ModelSource source) {
		String sha256;
		try {
			sha256 = source.sha256Hex();
		}
		catch (UncheckedIOException ex) {
			logger.warn("ONNX model '" + definition.name() + "': its file could not be read for the tuning cache's "
					+ "key (" + ex.getCause().getMessage() + "); tuning without the cache");
			return null;
		}
		TuningSettings tuning = definition.tuning();
		List<Map<String, String>> candidates = new ArrayList<>();
		tuning.candidates().forEach((candidate) -> candidates.add(candidate.settings()));
		Map<String, String> other = new LinkedHashMap<>();
		if (candidates.isEmpty()) {
			other.put("defaults.cpu", tuning.defaults().cpu().toString());
			other.put("defaults.cuda", tuning.defaults().cuda().toString());
			other.put("defaults.cuda-with-conv1d", tuning.defaults().cudaWithConv1d().toString());
		}
		// the candidates override these, so the same overrides mean other settings when
		// they change
		other.put("cuda", definition.cuda().toString());
		other.put("tensorrt", definition.tensorrt().toString());
		other.put("session", definition.session().describe().toString());
		other.put("runs", Integer.toString(tuning.runs()));
		List<String> samples = new ArrayList<>();
		for (ConfiguredShape shape : definition.warmup().shapes()) {
			samples.add(shape.toString());
		}
		samples.add("data=" + definition.warmup().data());
		samples.add("values=" + definition.warmup().sharedValues() + " " + definition.warmup().values());
		return new TuningKey(definition.name(), sha256, this.factory.onnxRuntimeVersion(), requested(definition),
				DeviceIdentity.describe(this.environment), candidates, samples, other);
	}

	private static String requested(ModelDefinition definition) {
		List<String> chain = new ArrayList<>();
		if (definition.tensorrt().enabled()) {
			chain.add(OrtProvider.TENSOR_RT.name());
		}
		if (definition.cuda().enabled()) {
			chain.add(OrtProvider.CUDA.name() + " (fallback " + definition.cuda().fallback() + ")");
		}
		chain.add(OrtProvider.CPU.name());
		return String.join(" > ", chain);
	}

	private static List<CandidateMeasurement> unmeasured(List<TuningCandidate> candidates) {
		return candidates.stream().map((candidate) -> CandidateMeasurement.unmeasured(candidate.settings())).toList();
	}

}
