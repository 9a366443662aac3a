package io.github.onnxgpu.boot.internal.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;

import io.github.onnxgpu.boot.model.OnnxBinding;

/**
 * The starter's {@link OnnxBinding}: a {@link BindingState} borrowed from its pool, given
 * back on {@link #close()}.
 */
final class DefaultOnnxBinding implements OnnxBinding {

	private final DefaultOnnxInference inference;

	private final BindingState state;

	private boolean ran;

	private boolean closed;

	DefaultOnnxBinding(DefaultOnnxInference inference, BindingState state) {
		this.inference = inference;
		this.state = state;
	}

	@Override
	public String modelName() {
		return this.state.model().name();
	}

	/**
	 * Every input's dimensions, the named ones and those inferred.
	 * @return a copy of the dimensions by input name, in the model's input order
	 */
	@Override
	public Map<String, long[]> inputShapes() {
		Map<String, long[]> shapes = new LinkedHashMap<>();
		this.state.pool.dimensions().forEach((name, dims) -> shapes.put(name, dims.clone()));
		return shapes;
	}

	/**
	 * An input, to be written before {@link #run()}.
	 * @param name the input's name
	 * @return the input
	 * @throws IllegalArgumentException when the model has no such input
	 */
	@Override
	public DefaultBoundTensor input(String name) {
		checkOpen();
		DefaultBoundTensor input = this.state.inputs().get(name);
		if (input == null) {
			throw new IllegalArgumentException("ONNX model '" + modelName() + "' has no input '" + name
					+ "'; its inputs are " + this.state.inputs().keySet());
		}
		return input;
	}

	/**
	 * The outputs ONNX Runtime writes into this binding's own buffers.
	 * @return their names
	 */
	@Override
	public Set<String> pinnedOutputs() {
		return this.state.pinned().keySet();
	}

	/**
	 * Run the model on the inputs as they are now. Like {@link DefaultOnnxInference#run},
	 * the run is counted against the session's shutdown and observed as
	 * {@code onnx.inference}.
	 * @throws OrtException when ONNX Runtime fails
	 * @throws IllegalStateException when the binding or the model is closed
	 */
	@Override
	public void run() throws OrtException {
		checkOpen();
		this.ran = false;
		this.state.run(this.inference);
		this.ran = true;
	}

	/**
	 * An output of the last run: pinned, a view of this binding's buffer; otherwise what
	 * ONNX Runtime returned, valid until the next run or {@link #close()}.
	 * @param name the output's name
	 * @return the output
	 * @throws IllegalArgumentException when the model has no such output
	 * @throws IllegalStateException before a successful run, or when the output is not a
	 * tensor
	 */
	@Override
	public DefaultBoundTensor output(String name) {
		checkOpen();
		if (!this.state.model().outputs().containsKey(name)) {
			throw new IllegalArgumentException("ONNX model '" + modelName() + "' has no output '" + name
					+ "'; its outputs are " + this.state.model().outputs().keySet());
		}
		if (!this.ran) {
			throw new IllegalStateException(
					"ONNX model '" + modelName() + "': output '" + name + "' is read before a successful run()");
		}
		DefaultBoundTensor pinned = this.state.pinned().get(name);
		if (pinned != null) {
			return pinned;
		}
		OnnxTensor returned = this.state.returned(name);
		if (returned == null) {
			throw new IllegalStateException("ONNX model '" + modelName() + "': output '" + name + "' is not a tensor");
		}
		return DefaultBoundTensor.returned(modelName(), name, returned);
	}

	/**
	 * Give the binding back to its pool. Its buffers may be handed to another borrower at
	 * once: do not use them, or outputs read from them, afterwards.
	 */
	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			this.state.pool.release(this.state);
		}
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("This binding of ONNX model '" + modelName()
					+ "' is closed: it went back to its pool; borrow another from DefaultOnnxInference.binding");
		}
	}

}
