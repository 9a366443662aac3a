package io.github.onnxgpu.boot.internal.session;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.TensorInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The memory of one pooled binding: a tensor over a direct buffer for every input and
 * every output whose shape is known before the run, and the last run's result.
 */
final class BindingState {

	private static final Log logger = LogFactory.getLog(BindingState.class);

	final ShapePool pool;

	private final ManagedModel model;

	private final Map<String, DefaultBoundTensor> inputs;

	private final Map<String, OnnxTensor> inputTensors;

	private Map<String, DefaultBoundTensor> pinned;

	private Map<String, OnnxTensor> pinnedTensors;

	private Set<String> requested;

	private @Nullable Result result;

	// made once: a lambda per run would be an allocation per run until the JIT removes it
	private final ManagedModel.SessionCall<Result> runCall;

	private String[] guardedNames;

	private OnnxTensor[] guarded;

	private BindingState(ShapePool pool, ManagedModel model, Map<String, DefaultBoundTensor> inputs) {
		this.pool = pool;
		this.model = model;
		this.inputs = Collections.unmodifiableMap(inputs);
		Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
		inputs.forEach((name, bound) -> tensors.put(name, bound.tensor()));
		this.inputTensors = Collections.unmodifiableMap(tensors);
		this.runCall = (session) -> session.run(this.inputTensors, this.requested, this.pinnedTensors);
	}

	static BindingState create(OrtEnvironment environment, ShapePool pool, ManagedModel model) throws OrtException {
		Map<String, DefaultBoundTensor> inputs = new LinkedHashMap<>();
		Map<String, DefaultBoundTensor> pinned = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, long[]> input : pool.dimensions().entrySet()) {
				TensorInfo info = (TensorInfo) model.inputs().get(input.getKey()).getInfo();
				inputs.put(input.getKey(), allocate(environment, model.name(), "input", input.getKey(), info.type,
						input.getValue(), false));
			}
			Map<String, long[]> recorded = pool.recordedReliable() ? model.outputShapes().find(pool.dimensions())
					: Map.of();
			for (Map.Entry<String, NodeInfo> output : model.outputs().entrySet()) {
				if (!(output.getValue().getInfo() instanceof TensorInfo info) || info.type == OnnxJavaType.STRING
						|| info.type == OnnxJavaType.UNKNOWN) {
					continue;
				}
				long[] dims = isStatic(info.getShape()) ? info.getShape() : recorded.get(output.getKey());
				if (dims != null) {
					pinned.put(output.getKey(), allocate(environment, model.name(), "output", output.getKey(),
							info.type, dims, !isStatic(info.getShape())));
				}
			}
		}
		catch (OrtException | RuntimeException ex) {
			inputs.values().forEach(DefaultBoundTensor::close);
			pinned.values().forEach(DefaultBoundTensor::close);
			throw ex;
		}
		BindingState state = new BindingState(pool, model, inputs);
		state.pin(pinned);
		return state;
	}

	private void pin(Map<String, DefaultBoundTensor> pinned) {
		this.pinned = Collections.unmodifiableMap(pinned);
		Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
		pinned.forEach((name, bound) -> tensors.put(name, bound.tensor()));
		this.pinnedTensors = Collections.unmodifiableMap(tensors);
		Set<String> rest = new LinkedHashSet<>(this.model.outputs().keySet());
		rest.removeAll(pinned.keySet());
		this.requested = Collections.unmodifiableSet(rest);
		List<String> names = new ArrayList<>(this.inputTensors.keySet());
		names.addAll(this.pinnedTensors.keySet());
		List<OnnxTensor> all = new ArrayList<>(this.inputTensors.values());
		all.addAll(this.pinnedTensors.values());
		this.guardedNames = names.toArray(new String[0]);
		this.guarded = all.toArray(new OnnxTensor[0]);
	}

	// as DefaultOnnxInference.run does, over arrays so that a run allocates nothing: a
	// caller
	// may
	// have closed a tensor it got from DefaultBoundTensor.tensor()
	private void rejectClosed() {
		int inputs = this.inputTensors.size();
		for (int i = 0; i < this.guarded.length; i++) {
			if (this.guarded[i].isClosed()) {
				throw DefaultOnnxInference.closedTensor(this.model.name(), (i < inputs) ? "input" : "pinned output",
						this.guardedNames[i]);
			}
		}
	}

	ManagedModel model() {
		return this.model;
	}

	Map<String, DefaultBoundTensor> inputs() {
		return this.inputs;
	}

	Map<String, DefaultBoundTensor> pinned() {
		return this.pinned;
	}

	@Nullable Result result() {
		return this.result;
	}

	void run(DefaultOnnxInference inference) throws OrtException {
		closeResult();
		rejectClosed();
		try {
			this.result = inference.observe(this.model, this.runCall);
		}
		catch (OrtException ex) {
			if (!unpinRecorded()) {
				throw ex;
			}
			logger.warn("ONNX model '" + this.model.name() + "': the output shapes its warmup recorded at "
					+ this.pool.dimensionsText() + " did not fit a run (" + ex.getMessage()
					+ "); its outputs at these shapes depend on the input values, so bindings no longer pin them");
			this.result = inference.observe(this.model, this.runCall);
		}
	}

	// a warmup with other values may have produced outputs of other shapes (e.g. after
	// non-maximum suppression): stop pinning what was recorded rather than fail every run
	private boolean unpinRecorded() {
		if (this.pinned.values().stream().noneMatch(DefaultBoundTensor::isRecorded)) {
			return false;
		}
		this.pool.forgetRecorded();
		Map<String, DefaultBoundTensor> kept = new LinkedHashMap<>();
		this.pinned.forEach((name, bound) -> {
			if (bound.isRecorded()) {
				bound.close();
			}
			else {
				kept.put(name, bound);
			}
		});
		pin(kept);
		return true;
	}

	void closeResult() {
		if (this.result != null) {
			this.result.close();
			this.result = null;
		}
	}

	void close() {
		closeResult();
		this.inputs.values().forEach(DefaultBoundTensor::close);
		this.pinned.values().forEach(DefaultBoundTensor::close);
	}

	/**
	 * The output of the last run by name.
	 * @param name the output
	 * @return the tensor, or {@code null} when it is not a tensor or was not returned
	 */
	@Nullable OnnxTensor returned(String name) {
		if (this.result == null) {
			return null;
		}
		OnnxValue value = this.result.get(name).orElse(null);
		return (value instanceof OnnxTensor tensor) ? tensor : null;
	}

	private static DefaultBoundTensor allocate(OrtEnvironment environment, String modelName, String kind, String name,
			OnnxJavaType type, long[] dims, boolean recorded) throws OrtException {
		long count = 1;
		for (long dim : dims) {
			count = Math.multiplyExact(count, dim);
		}
		ByteBuffer memory = ByteBuffer.allocateDirect(Math.toIntExact(Math.multiplyExact(count, type.size)))
			.order(ByteOrder.nativeOrder());
		OnnxTensor tensor = OnnxTensor.createTensor(environment, memory, dims.clone(), type);
		return DefaultBoundTensor.owned(modelName, kind, name, tensor, type, dims.clone(), memory, recorded);
	}

	private static boolean isStatic(long[] dims) {
		for (long dim : dims) {
			if (dim < 0) {
				return false;
			}
		}
		return true;
	}

}
