package io.github.onnxgpu.boot.model;

import java.time.Duration;

/**
 * A run was refused because the model cannot take it now: its batching queue is full, the
 * run waited in the queue longer than allowed, or the application is shutting down.
 * Thrown at once, never after a hang, so that a service can answer with HTTP 503 and a
 * {@code Retry-After} header ({@link #getRetryAfter()}) and a load balancer or client can
 * send the request elsewhere.
 *
 * @since 0.1.0
 */
public class OnnxModelBusyException extends RuntimeException {

	private final String modelName;

	private final Reason reason;

	private final Duration retryAfter;

	/**
	 * Create a new exception.
	 * @param modelName the model
	 * @param reason why the run was refused
	 * @param message the message, naming the model and the property that bounds it
	 * @param retryAfter when a retry may succeed
	 */
	public OnnxModelBusyException(String modelName, Reason reason, String message, Duration retryAfter) {
		super(message);
		this.modelName = modelName;
		this.reason = reason;
		this.retryAfter = retryAfter;
	}

	public String getModelName() {
		return this.modelName;
	}

	public Reason getReason() {
		return this.reason;
	}

	/**
	 * How long a caller should wait before it retries: the model's queue timeout for a
	 * full queue or a timeout, longer at shutdown.
	 * @return the suggested wait
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * Why a run was refused.
	 */
	public enum Reason {

		/**
		 * The model's batching queue held {@code batching.queue-size} runs already.
		 */
		QUEUE_FULL,

		/**
		 * The run waited in the queue longer than {@code batching.timeout}.
		 */
		TIMEOUT,

		/**
		 * The application is shutting down and the model takes no more runs.
		 */
		SHUTTING_DOWN

	}

}
