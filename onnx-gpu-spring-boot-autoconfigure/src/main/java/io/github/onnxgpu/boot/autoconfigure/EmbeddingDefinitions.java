package io.github.onnxgpu.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.internal.embedding.EmbeddingSettings;
import io.github.onnxgpu.boot.internal.warmup.ConfiguredShape;
import io.github.onnxgpu.boot.internal.warmup.WarmupSettings;

/**
 * A model's {@code embedding} section at definition time: its checked settings, the
 * checks that need no session, and a warmup shape per sequence bucket, which the batcher
 * warms at every batch size it forms.
 */
final class EmbeddingDefinitions {

	private EmbeddingDefinitions() {
	}

	/**
	 * The checked embedding settings of a model.
	 * @param name the model
	 * @param embedding its section
	 * @return the settings, {@code null} when the model has no tokenizer configured
	 */
	static @Nullable EmbeddingSettings settings(String name, EmbeddingProperties embedding) {
		Resource tokenizer = embedding.getTokenizer();
		if (tokenizer == null) {
			return null;
		}
		return EmbeddingSettings.of(name, tokenizer, embedding.getPooling(), embedding.isNormalize(),
				embedding.getMaxLength(), embedding.getSequenceBuckets(), embedding.getOutput());
	}

	/**
	 * A model's warmup with a shape per sequence bucket added after the configured ones.
	 * @param name the model
	 * @param model its properties
	 * @param warmup its warmup settings
	 * @return the warmup to use
	 */
	static WarmupSettings withBuckets(String name, OnnxModelProperties model, WarmupSettings warmup) {
		EmbeddingSettings settings = settings(name, model.getEmbedding());
		if (settings == null) {
			return warmup;
		}
		settings.checkBeforeLoading(model.getLocation());
		List<ConfiguredShape> shapes = new ArrayList<>(warmup.shapes());
		for (int bucket : settings.buckets()) {
			// attention_mask and token_type_ids share input_ids' dimensions
			shapes
				.add(new ConfiguredShape(shapes.size(), Map.of(EmbeddingSettings.INPUT_IDS, new long[] { 1, bucket })));
		}
		return new WarmupSettings(warmup.enabled(), warmup.iterations(), warmup.maxIterations(),
				warmup.steadyTolerance(), warmup.timeout(), warmup.onFailure(), warmup.data(), shapes,
				warmup.sharedValues(), warmup.values(), warmup.maxInputSize());
	}

}
