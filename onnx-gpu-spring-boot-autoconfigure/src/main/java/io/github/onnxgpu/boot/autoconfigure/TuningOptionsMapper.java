package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Candidate;
import io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Tuning;
import io.github.onnxgpu.boot.internal.provider.CudaSettings;
import io.github.onnxgpu.boot.internal.session.TuningCandidate;
import io.github.onnxgpu.boot.internal.session.TuningSettings;
import io.github.onnxgpu.boot.internal.session.TuningSettings.DefaultCandidates;
import io.github.onnxgpu.boot.internal.tuning.TuningCache;
import io.github.onnxgpu.boot.internal.warmup.WarmupSettings;
import io.github.onnxgpu.boot.model.CudnnConvAlgoSearch;

/**
 * Maps {@code onnx.models.<name>.tuning.*} to the candidates a model's tuning tries, each
 * the model's own settings with the candidate's overrides applied, and the default
 * candidates of each provider.
 */
final class TuningOptionsMapper {

	private final String modelName;

	private final OnnxProperties properties;

	private final OnnxModelProperties model;

	private TuningOptionsMapper(String modelName, OnnxProperties properties, OnnxModelProperties model) {
		this.modelName = modelName;
		this.properties = properties;
		this.model = model;
	}

	static TuningSettings map(String modelName, OnnxProperties properties, OnnxModelProperties model,
			WarmupSettings warmup) {
		return new TuningOptionsMapper(modelName, properties, model).map(warmup);
	}

	private TuningSettings map(WarmupSettings warmup) {
		Tuning tuning = this.model.getTuning();
		if (!tuning.isEnabled()) {
			return TuningSettings.disabled();
		}
		if (!warmup.enabled()) {
			String property = property("enabled");
			throw new OnnxModelException(this.modelName, property,
					"tuning measures the candidates during the warmup, which is off for this model",
					"turn the warmup on (" + OnnxModelException.modelProperty(this.modelName, "warmup.enabled")
							+ "=true), or set " + property + "=false");
		}
		if (tuning.getRuns() < TuningSettings.MINIMUM_RUNS) {
			String property = property("runs");
			throw new OnnxModelException(this.modelName, property,
					"tuning needs at least " + TuningSettings.MINIMUM_RUNS
							+ " timed runs per sample for a median and a " + "90th percentile, but runs is "
							+ tuning.getRuns(),
					"set " + property + " to " + TuningSettings.MINIMUM_RUNS + " or more, such as "
							+ new Tuning().getRuns());
		}
		List<TuningCandidate> candidates = new ArrayList<>();
		Map<Map<String, String>, Integer> seen = new LinkedHashMap<>();
		List<Candidate> configured = tuning.getCandidates();
		for (int i = 0; i < configured.size(); i++) {
			TuningCandidate candidate = candidate(i, configured.get(i));
			Integer same = seen.putIfAbsent(candidate.settings(), i);
			if (same != null) {
				String property = property("candidates[" + i + "]");
				throw new OnnxModelException(this.modelName, property,
						"candidate " + i + " " + candidate.settings() + " is the same as candidate " + same
								+ ", so tuning would measure it twice",
						"remove " + property + " or change its settings");
			}
			candidates.add(candidate);
		}
		// the defaults serve only a model without candidates
		return new TuningSettings(true, candidates, candidates.isEmpty() ? defaults() : DefaultCandidates.NONE,
				tuning.getRuns(), cacheDirectory(tuning));
	}

	private Path cacheDirectory(Tuning tuning) {
		CacheProperties cache = tuning.getCache();
		if (Boolean.FALSE.equals(cache.getEnabled())) {
			return null;
		}
		if (cache.getDirectory() != null) {
			return cache.getDirectory();
		}
		try {
			return TuningCache.defaultDirectory();
		}
		catch (IllegalStateException ex) {
			String property = property("cache.directory");
			throw new OnnxModelException(this.modelName, property,
					"the tuning cache has no default folder: " + ex.getMessage(),
					"set " + property + " to a writable folder, or " + property("cache.enabled") + "=false");
		}
	}

	private TuningCandidate candidate(int index, Candidate candidate) {
		OnnxModelProperties.Cuda cuda = new OnnxModelProperties.Cuda();
		CandidateOverrides.apply(this.model.getCuda(), cuda);
		CandidateOverrides.apply(candidate.getCuda(), cuda);
		OnnxModelProperties.Tensorrt tensorrt = new OnnxModelProperties.Tensorrt();
		CandidateOverrides.apply(this.model.getTensorrt(), tensorrt);
		CandidateOverrides.apply(candidate.getTensorrt(), tensorrt);
		OnnxModelProperties.Session session = new OnnxModelProperties.Session();
		CandidateOverrides.apply(this.model.getSession(), session);
		CandidateOverrides.apply(candidate.getSession(), session);
		Map<String, String> settings = new LinkedHashMap<>();
		settings.putAll(CandidateOverrides.describe("cuda", candidate.getCuda()));
		settings.putAll(CandidateOverrides.describe("tensorrt", candidate.getTensorrt()));
		settings.putAll(CandidateOverrides.describe("session", candidate.getSession()));
		try {
			CudaSettings cudaSettings = CudaOptionsMapper.map(this.modelName, this.properties.getCuda(), cuda);
			return new TuningCandidate(settings, cudaSettings,
					TensorrtOptionsMapper.map(this.modelName, this.properties.getTensorrt(), tensorrt, cudaSettings),
					OnnxModelDefinitions.session(session));
		}
		catch (OnnxModelException ex) {
			throw (index >= 0) ? inCandidate(index, settings, ex) : ex;
		}
	}

	// the same problem, naming the candidate's property when the candidate set the value
	private OnnxModelException inCandidate(int index, Map<String, String> settings, OnnxModelException ex) {
		String modelPrefix = OnnxModelException.modelProperty(this.modelName, "");
		if (!ex.getProperty().startsWith(modelPrefix)) {
			return ex;
		}
		String key = ex.getProperty().substring(modelPrefix.length());
		if (!settings.containsKey(key)) {
			return ex;
		}
		String property = property("candidates[" + index + "]." + key);
		return new OnnxModelException(this.modelName, property, ex.getProblem(),
				ex.getAction().replace(ex.getProperty(), property), ex);
	}

	private DefaultCandidates defaults() {
		List<TuningCandidate> cpu = new ArrayList<>();
		int cores = Runtime.getRuntime().availableProcessors();
		Set<Integer> threads = new LinkedHashSet<>(List.of(1, Math.max(1, cores / 2), cores));
		for (int count : threads) {
			cpu.add(defaultCandidate((candidate) -> candidate.getSession().setIntraOpThreads(count)));
		}
		List<TuningCandidate> cuda = new ArrayList<>();
		List<TuningCandidate> cudaWithConv1d = new ArrayList<>();
		for (CudnnConvAlgoSearch search : List.of(CudnnConvAlgoSearch.HEURISTIC, CudnnConvAlgoSearch.EXHAUSTIVE)) {
			for (boolean pad : List.of(false, true)) {
				TuningCandidate candidate = defaultCandidate((defaults) -> {
					defaults.getCuda().setCudnnConvAlgoSearch(search);
					defaults.getCuda().setCudnnConv1dPadToNc1d(pad);
				});
				if (!pad) {
					cuda.add(candidate);
				}
				cudaWithConv1d.add(candidate);
			}
		}
		return new DefaultCandidates(cpu, cuda, cudaWithConv1d);
	}

	private TuningCandidate defaultCandidate(Consumer<Candidate> settings) {
		Candidate candidate = new Candidate();
		settings.accept(candidate);
		return candidate(-1, candidate);
	}

	private String property(String suffix) {
		return OnnxModelException.modelProperty(this.modelName, "tuning." + suffix);
	}

}
