package io.github.onnxgpu.boot.internal.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.TensorInfo;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.batching.BatchLayout;
import io.github.onnxgpu.boot.internal.batching.BatchingSettings;
import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;
import io.github.onnxgpu.boot.internal.warmup.WarmupPlan;
import io.github.onnxgpu.boot.internal.warmup.WarmupSettings;
import io.github.onnxgpu.boot.internal.warmup.WarmupTensors;

/**
 * What batching needs from a model at start-up: its outputs' batch dimensions, found by
 * running a warmup sample at batch sizes 1 and 2, and the warmup samples of every batch
 * size the batcher forms.
 */
final class BatchProbe {

	private BatchProbe() {
	}

	/**
	 * Find every output's batch dimension.
	 * @param environment the environment
	 * @param session the model's session
	 * @param layout the layout of its inputs
	 * @param plan the model's warmup plan, whose first shape is run
	 * @param warmup the warmup settings, for the data
	 * @return the complete layout
	 * @throws OnnxModelException when there is no shape to run or an output does not
	 * scale
	 */
	static BatchLayout outputs(OrtEnvironment environment, OrtSession session, BatchLayout layout, WarmupPlan plan,
			WarmupSettings warmup) throws OrtException {
		ResolvedShape sample = plan.samples()
			.stream()
			.filter((shape) -> shape.files().isEmpty())
			.findFirst()
			.orElseThrow(() -> new OnnxModelException(layout.modelName(),
					OnnxModelException.modelProperty(layout.modelName(), "warmup.shapes"),
					"batching needs a warmup shape to find the batch dimension of the outputs, and the model has none",
					"enable the model's warmup and list a shape under "
							+ OnnxModelException.modelProperty(layout.modelName(), "warmup.shapes")));
		Map<String, long[]> atOne = outputShapes(environment, session, layout, plan, warmup, sample, 1);
		Map<String, long[]> atTwo = outputShapes(environment, session, layout, plan, warmup, sample, 2);
		return layout.withOutputShapes(atOne, atTwo);
	}

	/**
	 * Add to a plan every batch size the batcher forms, at each of its shapes.
	 * @param plan the plan
	 * @param layout the model's batch layout
	 * @param batching the batching settings
	 * @return the plan with a sample per shape and batch size, each once
	 */
	static WarmupPlan withBatchSizes(WarmupPlan plan, BatchLayout layout, BatchingSettings batching) {
		List<ResolvedShape> samples = new ArrayList<>();
		List<String> seen = new ArrayList<>();
		for (ResolvedShape sample : plan.samples()) {
			add(samples, seen, sample);
			if (!sample.files().isEmpty()) {
				continue;
			}
			for (int size : batching.batchSizes()) {
				add(samples, seen,
						new ResolvedShape(sample.index(), layout.atBatchSize(sample.dimensions(), size), Map.of()));
			}
		}
		return new WarmupPlan(samples, plan.values());
	}

	private static void add(List<ResolvedShape> samples, List<String> seen, ResolvedShape sample) {
		String key = describe(sample.dimensions()) + sample.files().keySet();
		if (!seen.contains(key)) {
			seen.add(key);
			samples.add(sample);
		}
	}

	private static String describe(Map<String, long[]> dimensions) {
		StringBuilder text = new StringBuilder();
		dimensions.forEach((name, dims) -> text.append(name).append(Arrays.toString(dims)));
		return text.toString();
	}

	private static Map<String, long[]> outputShapes(OrtEnvironment environment, OrtSession session, BatchLayout layout,
			WarmupPlan plan, WarmupSettings warmup, ResolvedShape sample, int batchSize) throws OrtException {
		ResolvedShape resized = new ResolvedShape(sample.index(), layout.atBatchSize(sample.dimensions(), batchSize));
		try (WarmupTensors tensors = WarmupTensors.create(environment, session.getInputInfo(), resized, warmup.data(),
				plan.values()); Result result = session.run(tensors.tensors())) {
			Map<String, long[]> shapes = new LinkedHashMap<>();
			for (Map.Entry<String, OnnxValue> output : result) {
				if (output.getValue().getInfo() instanceof TensorInfo info) {
					shapes.put(output.getKey(), info.getShape());
				}
			}
			return shapes;
		}
	}

}
