package io.github.onnxgpu.boot.internal.session;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.tuning.TuningCache;
import io.github.onnxgpu.boot.internal.tuning.TuningKey;

/**
 * The tuning a model still needs at warmup.
 *
 * @param candidates the candidates to measure, in order
 * @param factory creates each candidate's session
 * @param source the checked model file
 * @param cache where the choice is remembered, {@code null} when it is not
 * @param key the choice's key in the cache, {@code null} when it is not remembered
 */
record TuningJob(List<TuningCandidate> candidates, OnnxSessionFactory factory, ModelSource source,
		@Nullable TuningCache cache, @Nullable TuningKey key) {

	TuningJob {
		candidates = List.copyOf(candidates);
	}

	@Nullable Path cacheDirectory() {
		return (this.cache != null) ? this.cache.directory() : null;
	}

}
