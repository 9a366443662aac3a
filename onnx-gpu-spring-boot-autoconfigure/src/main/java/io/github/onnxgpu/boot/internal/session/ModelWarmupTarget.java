package io.github.onnxgpu.boot.internal.session;

import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.RunOptions;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.warmup.SampleInProgress;
import io.github.onnxgpu.boot.internal.warmup.WarmupPlan;
import io.github.onnxgpu.boot.internal.warmup.WarmupSettings;
import io.github.onnxgpu.boot.internal.warmup.WarmupTarget;

/**
 * A model as the warmup sees it. Package-private: only {@link OnnxWarmupRunner} and
 * {@link ModelTuner} hand one out, so that the model's warmup state changes stay out of
 * users' reach. For tuning, it runs a candidate's session instead of the model's, with
 * the model's inputs, samples and warmup state, so that shutdown and the timeout stop a
 * candidate's runs as they stop a warmup.
 */
final class ModelWarmupTarget implements WarmupTarget {

	private final ManagedModel model;

	private final @Nullable LoadedSession candidate;

	private final WarmupSettings settings;

	// the instance warmed, -1 for the least busy one
	private final int instance;

	ModelWarmupTarget(ManagedModel model) {
		this(model, null, model.definition().warmup());
	}

	/**
	 * A target that warms one instance of the model.
	 * @param model the model
	 * @param instance the instance
	 */
	ModelWarmupTarget(ManagedModel model, int instance) {
		this.model = model;
		this.candidate = null;
		this.settings = model.definition().warmup();
		this.instance = instance;
	}

	/**
	 * A target that runs a tuning candidate's session.
	 * @param model the model
	 * @param candidate the candidate's session, {@code null} for the model's own
	 * @param settings the warmup settings, such as with what is left of the timeout
	 */
	ModelWarmupTarget(ManagedModel model, @Nullable LoadedSession candidate, WarmupSettings settings) {
		this.model = model;
		this.candidate = candidate;
		this.settings = settings;
		this.instance = -1;
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
		return this.settings;
	}

	@Override
	public <T> T call(SessionWork<T> work) throws OrtException {
		if (this.candidate == null) {
			return (this.instance >= 0) ? this.model.callOn(this.instance, work::call) : this.model.call(work::call);
		}
		// a candidate's session is the tuner's alone until it serves the model
		if (this.model.isClosing()) {
			throw new IllegalStateException("ONNX model '" + name() + "' is closed");
		}
		return work.call(this.candidate.session());
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
		this.model.warmupState().started(runOptions);
	}

	@Override
	public void ended() {
		this.model.warmupState().ended();
	}

	@Override
	public void terminate() {
		this.model.warmupState().terminate();
	}

	@Override
	public String description() {
		return "ONNX model '" + name() + "'" + ((this.candidate != null) ? " (tuning candidate)"
				: (this.instance > 0) ? " (instance " + this.instance + ")" : "");
	}

	@Override
	public void sampleInProgress(@Nullable SampleInProgress sample) {
		this.model.warmupState().sampleInProgress(sample);
	}

}
