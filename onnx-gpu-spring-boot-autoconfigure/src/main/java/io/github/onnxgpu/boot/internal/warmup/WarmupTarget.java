package io.github.onnxgpu.boot.internal.warmup;

import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.RunOptions;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ModelWarmer} warms: one model's session, plan and warmup state, as the
 * model package hands it over. This package never sees the model itself, so that the
 * dependencies point one way (model to warmup) and the model's state transitions stay out
 * of its public API.
 */
public interface WarmupTarget {

	/**
	 * The model's name, for messages.
	 * @return the name
	 */
	String name();

	/**
	 * The model's inputs.
	 * @return the inputs by name
	 */
	Map<String, NodeInfo> inputs();

	/**
	 * The samples to run.
	 * @return the plan
	 */
	WarmupPlan plan();

	/**
	 * How to warm the model.
	 * @return the settings
	 */
	WarmupSettings settings();

	/**
	 * Run work on the session, counted as a run in flight.
	 * @param <T> the result type
	 * @param work the work
	 * @return what the work returned
	 * @throws OrtException when ONNX Runtime fails
	 */
	<T> T call(SessionWork<T> work) throws OrtException;

	/**
	 * Record the output shapes of a warmup run, so that a binding at these input shapes
	 * can pin every output.
	 * @param inputDimensions every input's dimensions
	 * @param result the run's result
	 */
	void recordOutputs(Map<String, long[]> inputDimensions, Result result);

	/**
	 * Whether the model is closing, as at shutdown.
	 * @return whether closing has begun
	 */
	boolean isClosing();

	/**
	 * The warmup starts with run options that can stop it.
	 * @param runOptions the warmup's run options
	 */
	void started(RunOptions runOptions);

	/**
	 * The warmup no longer runs: once this returns, {@link #terminate()} no longer
	 * touches the run options, which may then be closed.
	 */
	void ended();

	/**
	 * Stop the run in flight at its next chance.
	 */
	void terminate();

	/**
	 * Who is warming, for the log line before each sample.
	 * @return such as {@code ONNX model 'detector'}
	 */
	default String description() {
		return "ONNX model '" + name() + "'";
	}

	/**
	 * A sample starts running, or none runs any more.
	 * @param sample the sample and since when, {@code null} once it ended
	 */
	default void sampleInProgress(@Nullable SampleInProgress sample) {
	}

	/**
	 * Work on a session.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	interface SessionWork<T> {

		T call(OrtSession session) throws OrtException;

	}

}
