package io.github.onnxgpu.boot.model;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Options of one run of {@link OnnxInference#run(String, java.util.Map, OnnxRunOptions)}:
 * for now, its deadline. Past the deadline a run still waiting in a batching queue is
 * refused, and a run already inside ONNX Runtime on its own (a model without batching, or
 * a run that goes alone) is terminated through ONNX Runtime's terminate flag
 * ({@code RunOptions.setTerminate}); either way the caller gets an
 * {@link OnnxModelBusyException} of reason {@link OnnxModelBusyException.Reason#TIMEOUT}
 * whose message says which. A run already stacked into a batch with other callers' runs
 * is not terminated (that would fail them too): the caller waits for the batch. As
 * Triton's queue policy lets a request override {@code default_timeout_microseconds}, a
 * run's own deadline replaces {@code batching.timeout} for that run when it is shorter.
 *
 * @since 0.1.0
 */
public final class OnnxRunOptions {

	private final @Nullable Duration timeout;

	private OnnxRunOptions(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * Options with a deadline.
	 * @param timeout how long the run may take from the call, positive
	 * @return the options
	 * @throws IllegalArgumentException when the timeout is not positive
	 */
	public static OnnxRunOptions timeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("A run's timeout must be positive, not " + timeout);
		}
		return new OnnxRunOptions(timeout);
	}

	/**
	 * The run's deadline, from the call.
	 * @return the timeout, {@code null} for none
	 */
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

}
