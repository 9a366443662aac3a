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
		Map<String, long[]> atOne;
		Map<String, long[]> atTwo;
		try {
			atOne = outputShapes(environment, session, layout, plan, warmup, sample, 1);
			atTwo = outputShapes(environment, session, layout, plan, warmup, sample, 2);
		}
		catch (OrtException ex) {
			throw probeFailure(layout, ex);
		}
		return layout.withOutputShapes(atOne, atTwo);
	}

	// the probe's run at batch 2 failed: most often an input whose batch is not in
	// dimension 0 (a recurrent state [layers, batch, hidden]) was left whole, so the
	// model met a batch of 2 beside a state of 1
	private static OnnxModelException probeFailure(BatchLayout layout, OrtException ex) {
		Map<String, Integer> suspects = new LinkedHashMap<>();
		for (Map.Entry<String, Integer> input : layout.inputDimensions().entrySet()) {
			if (input.getValue() != BatchLayout.CONTROL) {
				continue;
			}
			long[] shape = layout.inputs().get(input.getKey()).getShape();
			for (int d = 1; d < shape.length; d++) {
				if (shape[d] < 0) {
					suspects.put(input.getKey(), d);
					break;
				}
			}
		}
		String model = layout.modelName();
		if (suspects.isEmpty()) {
			return new OnnxModelException(model, OnnxModelException.modelProperty(model, "batching.enabled"),
					"the model failed a run of its warmup sample at batch 2, stacked along the batch dimensions "
							+ layout.inputDimensions() + " (-1: not stacked): " + ex.getMessage(),
					"name the batch dimension of each input whose batch is not in dimension 0 under "
							+ OnnxModelException.modelProperty(model, "batching.dimensions.<input>")
							+ ", or disable batching for this model",
					ex);
		}
		Map.Entry<String, Integer> first = suspects.entrySet().iterator().next();
		StringBuilder settings = new StringBuilder();
		suspects.forEach((input, dimension) -> settings.append((settings.length() > 0) ? ", " : "")
			.append(OnnxModelException.modelProperty(model, "batching.dimensions." + input))
			.append('=')
			.append(dimension));
		return new OnnxModelException(model,
				OnnxModelException.modelProperty(model, "batching.dimensions." + first.getKey()),
				"the model failed a run of its warmup sample at batch 2. Its batch dimension is probably not 0 in "
						+ ((suspects.size() == 1) ? "input " : "inputs ") + describe(layout, suspects)
						+ ", which were therefore not stacked but passed whole, as a control input is; ONNX Runtime: "
						+ ex.getMessage(),
				"name the batch dimension: " + settings
						+ " (and the same for an output that carries it, such as a next state), "
						+ "or disable batching for this model",
				ex);
	}

	private static String describe(BatchLayout layout, Map<String, Integer> suspects) {
		StringBuilder text = new StringBuilder();
		suspects.forEach((input, dimension) -> text.append((text.length() > 0) ? ", " : "")
			.append('\'')
			.append(input)
			.append("' ")
			.append(Arrays.toString(layout.inputs().get(input).getShape()))
			.append(" (dynamic dimension ")
			.append(dimension)
			.append(')'));
		return text.toString();
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
