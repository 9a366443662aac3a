package io.github.onnxgpu.boot.model;

import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.RunOptions;

import io.github.onnxgpu.boot.warmup.WarmupPlan;
import io.github.onnxgpu.boot.warmup.WarmupSettings;
import io.github.onnxgpu.boot.warmup.WarmupTarget;

/**
 * A model as the warmup sees it. Package-private: only {@link OnnxWarmupRunner} hands one
 * out, so that the model's warmup state changes stay out of users' reach.
 */
final class ModelWarmupTarget implements WarmupTarget {

	private final OnnxModel model;

	ModelWarmupTarget(OnnxModel model) {
		this.model = model;
	}

	@Override
	public String name() {
		return this.model.name();
	}

	@Override
	public Map<String, NodeInfo> inputs() {
		return this.model.inputs();
	}

	@Override
	public WarmupPlan plan() {
		return this.model.warmupPlan();
	}

	@Override
	public WarmupSettings settings() {
		return this.model.definition().warmup();
	}

	@Override
	public <T> T call(SessionWork<T> work) throws OrtException {
		return this.model.call(work::call);
	}

	@Override
	public void recordOutputs(Map<String, long[]> inputDimensions, Result result) {
		this.model.outputShapes().record(inputDimensions, result);
	}

	@Override
	public boolean isClosing() {
		return this.model.isClosing();
	}

	@Override
	public void started(RunOptions runOptions) {
		this.model.warmupStarted(runOptions);
	}

	@Override
	public void ended() {
		this.model.warmupEnded();
	}

	@Override
	public void terminate() {
		this.model.terminateWarmup();
	}

}
