package io.github.onnxgpu.boot.model;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import org.jspecify.annotations.Nullable;

/**
 * Runs models by name. Each run is counted against the session's shutdown, so the session
 * is not closed under it, and is an {@code onnx.inference} observation: a span per run
 * with a tracer, the {@code onnx.inference} timer through the default meter observation
 * handler. The result must be closed by the caller.
 * <p>
 * Inputs and pinned outputs are checked to be open before ONNX Runtime sees them: its
 * Java API hands the native handle of a closed tensor to native code unchecked, and the
 * JVM dies of a segmentation fault. Runs on the raw {@code OrtSession} bean have no such
 * guard.
 * <p>
 * A model with batching enabled ({@code onnx.models.<name>.batching.enabled}) serves
 * {@code run} through its batcher with no change of code: runs are queued, stacked with
 * compatible ones along the batch dimension, run as one, and each caller gets back its
 * own outputs as a {@code Result} it closes as usual. A full queue or a run waiting
 * longer than {@code batching.timeout} is refused at once with an
 * {@link OnnxModelBusyException}. Runs with pinned outputs, and runs that do not fit the
 * model's batch layout, run alone.
 * <p>
 * {@link #binding} lends {@link OnnxBinding}s: inputs and outputs bound to buffers that
 * are reused from run to run, whose runs are counted, guarded and observed the same way.
 *
 * @since 0.1.0
 */
public interface OnnxInference {

	/**
	 * Run a model on all its outputs.
	 * @param modelName the model
	 * @param inputs the inputs by name
	 * @return the result, to be closed by the caller
	 * @throws OrtException when ONNX Runtime fails
	 * @throws IllegalArgumentException when an input is closed
	 */
	Result run(String modelName, Map<String, ? extends OnnxTensorLike> inputs) throws OrtException;

	/**
	 * Run a model on some of its outputs.
	 * @param modelName the model
	 * @param inputs the inputs by name
	 * @param requestedOutputs the outputs to compute, or {@code null} for all
	 * @return the result, to be closed by the caller
	 * @throws OrtException when ONNX Runtime fails
	 * @throws IllegalArgumentException when an input is closed
	 */
	Result run(String modelName, Map<String, ? extends OnnxTensorLike> inputs, @Nullable Set<String> requestedOutputs)
			throws OrtException;

	/**
	 * Run a model writing some outputs into tensors the caller owns (pinned outputs, for
	 * example over direct buffers reused across requests), so that ONNX Runtime does not
	 * allocate and copy them. Closing the result does not close them.
	 * @param modelName the model
	 * @param inputs the inputs by name
	 * @param requestedOutputs further outputs to compute into the result, or {@code null}
	 * for all outputs that are not pinned
	 * @param pinnedOutputs outputs to write into, by name
	 * @return the result, to be closed by the caller
	 * @throws OrtException when ONNX Runtime fails
	 * @throws IllegalArgumentException when an input or a pinned output is closed
	 */
	Result run(String modelName, Map<String, ? extends OnnxTensorLike> inputs, @Nullable Set<String> requestedOutputs,
			Map<String, ? extends OnnxValue> pinnedOutputs) throws OrtException;

	/**
	 * Run a model on all its outputs within a deadline (see {@link OnnxRunOptions}): past
	 * it, a run still queued for a batch is refused and a run inside ONNX Runtime on its
	 * own is terminated, both with an {@link OnnxModelBusyException} of reason
	 * {@code TIMEOUT}.
	 * @param modelName the model
	 * @param inputs the inputs by name
	 * @param options the run's options
	 * @return the result, to be closed by the caller
	 * @throws OrtException when ONNX Runtime fails
	 * @throws OnnxModelBusyException when the run is refused or terminated
	 * @since 0.1.0
	 */
	default Result run(String modelName, Map<String, ? extends OnnxTensorLike> inputs, OnnxRunOptions options)
			throws OrtException {
		throw new UnsupportedOperationException(getClass().getName() + " does not support run options");
	}

	/**
	 * Run a model on all its outputs without waiting. A model with batching enabled
	 * ({@code onnx.models.<name>.batching.enabled}) queues the run and completes the
	 * future from the batcher's thread, so no thread of the caller's waits, which suits
	 * reactive callers; a model without batching runs on the calling thread and the
	 * future is complete on return. A refusal ({@link OnnxModelBusyException}) completes
	 * the future exceptionally.
	 * @param modelName the model
	 * @param inputs the inputs by name, which the caller may close once this returns
	 * @return the result to come, to be closed by the caller
	 */
	CompletableFuture<Result> runAsync(String modelName, Map<String, ? extends OnnxTensorLike> inputs);

	/**
	 * Borrow a binding of a model at some input shapes: inputs and outputs bound to
	 * buffers that are reused from run to run (see {@link OnnxBinding}). Bindings are
	 * pooled per model and input shapes ({@code onnx.models.<name>.binding.pool-size});
	 * when none is idle a new one is created, never waited for.
	 * @param modelName the model
	 * @param inputShapes dimensions by input name; inputs not named are inferred as for a
	 * warmup shape: static dimensions, dimension names shared with a named input, scalars
	 * @return the binding, to be closed by the caller
	 * @throws IllegalArgumentException when the shapes do not fit the model
	 * @throws IllegalStateException when the model is closing
	 * @throws OrtException when ONNX Runtime cannot create the tensors
	 */
	OnnxBinding binding(String modelName, Map<String, long[]> inputShapes) throws OrtException;

}
