package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.batching.Batcher;
import io.github.onnxgpu.boot.internal.batching.InputCheck;
import io.github.onnxgpu.boot.model.OnnxBinding;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxRunOptions;
import io.github.onnxgpu.boot.observation.DefaultInferenceObservationConvention;
import io.github.onnxgpu.boot.observation.InferenceContext;
import io.github.onnxgpu.boot.observation.InferenceObservationConvention;

/**
 * The starter's {@link OnnxInference}: runs through {@link ManagedModel#call}, observed
 * with the {@link InferenceObservationConvention}, and a pool of bindings per model and
 * input shapes. {@link #close()} closes the idle bindings at shutdown, before the
 * sessions close.
 */
public class DefaultOnnxInference implements OnnxInference, AutoCloseable {

	private final ManagedModelRegistry registry;

	private final OrtEnvironment environment;

	private final ObservationRegistry observations;

	private final @Nullable InferenceObservationConvention convention;

	private final Map<String, ModelBindings> bindings = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * Create a new instance.
	 * @param registry the models
	 * @param environment the ONNX Runtime environment the models run in (the
	 * application's {@code OrtEnvironment} bean), where bindings create their tensors
	 * @param observations where runs are observed ({@link ObservationRegistry#NOOP} to
	 * observe nothing)
	 * @param convention the convention that replaces
	 * {@link DefaultInferenceObservationConvention}, {@code null} to keep the default
	 */
	public DefaultOnnxInference(ManagedModelRegistry registry, OrtEnvironment environment,
			ObservationRegistry observations, @Nullable InferenceObservationConvention convention) {
		this.registry = registry;
		this.environment = environment;
		this.observations = observations;
		this.convention = convention;
	}

	/**
	 * Run a model on all its outputs.
	 * @param modelName the model
	 * @param inputs the inputs by name
	 * @return the result, to be closed by the caller
	 * @throws OrtException when ONNX Runtime fails
	 * @throws IllegalArgumentException when an input is closed
	 */
	@Override
	public Result run(String modelName, Map<String, ? extends OnnxTensorLike> inputs) throws OrtException {
		return run(modelName, inputs, (Set<String>) null);
	}

	/**
	 * Run a model on some of its outputs.
	 * @param modelName the model
	 * @param inputs the inputs by name
	 * @param requestedOutputs the outputs to compute, or {@code null} for all
	 * @return the result, to be closed by the caller
	 * @throws OrtException when ONNX Runtime fails
	 * @throws IllegalArgumentException when an input is closed
	 */
	@Override
	public Result run(String modelName, Map<String, ? extends OnnxTensorLike> inputs,
			@Nullable Set<String> requestedOutputs) throws OrtException {
		return run(modelName, inputs, requestedOutputs, Map.of());
	}

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
	@Override
	public Result run(String modelName, Map<String, ? extends OnnxTensorLike> inputs,
			@Nullable Set<String> requestedOutputs, Map<String, ? extends OnnxValue> pinnedOutputs)
			throws OrtException {
		ManagedModel model = this.registry.get(modelName);
		// ORT's Java API does not check and the JVM dies in native code
		rejectClosed(modelName, "input", inputs);
		rejectClosed(modelName, "pinned output", pinnedOutputs);
		Batcher batcher = model.batcher();
		if (batcher != null && pinnedOutputs.isEmpty()) {
			// one observation per caller, queue time included: what the caller waited
			return observed(model, () -> batcher.run(inputs, requestedOutputs, () -> model
				.call((session) -> session.run(inputs, requested(session, requestedOutputs, Map.of())))));
		}
		if (batcher != null) {
			// pinned outputs go alone, counted against the batching queue's bound
			return batcher.runAlone(() -> observe(model, (session) -> session.run(inputs,
					requested(session, requestedOutputs, pinnedOutputs), pinnedOutputs)));
		}
		return observe(model, (session) -> {
			InputCheck.names(modelName, session.getInputNames(), inputs.keySet());
			return session.run(inputs, requested(session, requestedOutputs, pinnedOutputs), pinnedOutputs);
		});
	}

	/**
	 * Run a model on all its outputs within a deadline: a run still queued for a batch at
	 * its deadline is refused, a run on its own inside ONNX Runtime is terminated
	 * ({@link DeadlineRuns}).
	 * @param modelName the model
	 * @param inputs the inputs by name
	 * @param options the run's options
	 * @return the result, to be closed by the caller
	 * @throws OrtException when ONNX Runtime fails
	 */
	@Override
	public Result run(String modelName, Map<String, ? extends OnnxTensorLike> inputs, OnnxRunOptions options)
			throws OrtException {
		Duration timeout = options.getTimeout();
		if (timeout == null) {
			return run(modelName, inputs);
		}
		ManagedModel model = this.registry.get(modelName);
		rejectClosed(modelName, "input", inputs);
		ManagedModel.SessionCall<Result> alone = (session) -> {
			InputCheck.names(modelName, session.getInputNames(), inputs.keySet());
			return DeadlineRuns.run(modelName, session, inputs, session.getOutputNames(), timeout);
		};
		Batcher batcher = model.batcher();
		if (batcher != null) {
			return observed(model, () -> batcher.run(inputs, null, () -> model.call(alone), timeout));
		}
		return observe(model, alone);
	}

	/**
	 * Run a model without waiting: through its batcher when it batches, so that no thread
	 * of the caller's waits; else on the calling thread, the future complete on return.
	 * @param modelName the model
	 * @param inputs the inputs by name, which may be closed once this returns
	 * @return the result to come, to be closed by the caller
	 */
	@Override
	public CompletableFuture<Result> runAsync(String modelName, Map<String, ? extends OnnxTensorLike> inputs) {
		try {
			ManagedModel model = this.registry.get(modelName);
			rejectClosed(modelName, "input", inputs);
			Batcher batcher = model.batcher();
			if (batcher != null) {
				return runBatchedAsync(model, batcher, inputs);
			}
			return CompletableFuture.completedFuture(run(modelName, inputs));
		}
		catch (OrtException | RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	// one observation per caller as for run: started here, stopped when the result
	// comes, so it holds the time in the queue; the caller's future completes after
	private CompletableFuture<Result> runBatchedAsync(ManagedModel model, Batcher batcher,
			Map<String, ? extends OnnxTensorLike> inputs) {
		Batcher.AloneRun alone = () -> model.call((session) -> session.run(inputs));
		if (this.observations.isNoop()) {
			return batcher.runAsync(inputs, null, alone);
		}
		Observation observation = observation(model).start();
		CompletableFuture<Result> batched = batcher.runAsync(inputs, null, alone);
		CompletableFuture<Result> observed = new CompletableFuture<>();
		batched.whenComplete((result, failure) -> {
			if (failure != null) {
				observation.error((failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure);
			}
			observation.stop();
			if (failure != null) {
				observed.completeExceptionally(failure);
			}
			else if (!observed.complete(result)) {
				// the caller gave up on it (cancelled): nobody else closes it
				result.close();
			}
		});
		// a caller's cancel reaches the batcher's future: the queued run leaves the queue
		observed.whenComplete((result, failure) -> {
			if (observed.isCancelled()) {
				batched.cancel(false);
			}
		});
		return observed;
	}

	/**
	 * Borrow a binding of a model at some input shapes: inputs and outputs bound to
	 * buffers that are reused from run to run (see {@link DefaultOnnxBinding}). Bindings
	 * are pooled per model and input shapes
	 * ({@code onnx.models.<name>.binding.pool-size}); when none is idle a new one is
	 * created, never waited for.
	 * @param modelName the model
	 * @param inputShapes dimensions by input name; inputs not named are inferred as for a
	 * warmup shape: static dimensions, dimension names shared with a named input, scalars
	 * @return the binding, to be closed by the caller
	 * @throws IllegalArgumentException when the shapes do not fit the model
	 * @throws IllegalStateException when the model is closing
	 * @throws OrtException when ONNX Runtime cannot create the tensors
	 */
	@Override
	public OnnxBinding binding(String modelName, Map<String, long[]> inputShapes) throws OrtException {
		ManagedModel model = this.registry.get(modelName);
		if (this.closed || model.isClosing()) {
			throw new IllegalStateException(
					"ONNX model '" + modelName + "' is closed: the application is shutting down");
		}
		ModelBindings modelBindings = this.bindings.get(modelName);
		if (modelBindings == null) {
			modelBindings = this.bindings.computeIfAbsent(modelName, (name) -> new ModelBindings(model));
		}
		ShapePool pool = modelBindings.pool(inputShapes);
		BindingState state = pool.poll();
		if (state == null) {
			state = BindingState.create(this.environment, pool, model);
		}
		return new DefaultOnnxBinding(this, state);
	}

	/**
	 * Close the idle bindings; bindings in use are closed when given back.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.bindings.values().forEach(ModelBindings::close);
	}

	OrtEnvironment environment() {
		return this.environment;
	}

	<T> T observe(ManagedModel model, ManagedModel.SessionCall<T> work) throws OrtException {
		if (this.observations.isNoop()) {
			// what a NOOP observation does, without its lambdas: a binding's run
			// allocates nothing of the starter's
			return model.call(work);
		}
		return observed(model, () -> model.call(work));
	}

	private <T> T observed(ManagedModel model, Observation.CheckedCallable<T, OrtException> call) throws OrtException {
		if (this.observations.isNoop()) {
			return call.call();
		}
		return observation(model).observeChecked(call);
	}

	private Observation observation(ManagedModel model) {
		return Observation.createNotStarted(this.convention, DefaultInferenceObservationConvention.INSTANCE,
				() -> new InferenceContext(model.name(), model.provider().active().name()), this.observations);
	}

	/**
	 * Reject a closed tensor the way {@link #run} does.
	 * @param modelName the model
	 * @param kind {@code input} or {@code pinned output}
	 * @param name the tensor's name
	 * @return the exception to throw
	 */
	static IllegalArgumentException closedTensor(String modelName, String kind, String name) {
		return new IllegalArgumentException("ONNX model '" + modelName + "': " + kind + " '" + name
				+ "' is a closed tensor; create a new tensor for each run or close it only after the run");
	}

	private static void rejectClosed(String modelName, String kind, Map<String, ? extends OnnxValue> values) {
		values.forEach((name, value) -> {
			if (value != null && value.isClosed()) {
				throw closedTensor(modelName, kind, name);
			}
		});
	}

	private static Set<String> requested(OrtSession session, @Nullable Set<String> requestedOutputs,
			Map<String, ? extends OnnxValue> pinnedOutputs) {
		if (requestedOutputs != null) {
			return requestedOutputs;
		}
		if (pinnedOutputs.isEmpty()) {
			return session.getOutputNames();
		}
		Set<String> rest = new LinkedHashSet<>(session.getOutputNames());
		rest.removeAll(pinnedOutputs.keySet());
		return rest;
	}

}
