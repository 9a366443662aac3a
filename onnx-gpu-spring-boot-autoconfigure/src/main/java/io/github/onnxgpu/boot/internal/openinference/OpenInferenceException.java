package io.github.onnxgpu.boot.internal.openinference;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A request the protocol answers with an error: its kind decides the HTTP status and the
 * gRPC code, its message names the model, the input and what was expected.
 */
public class OpenInferenceException extends RuntimeException {

	private final Kind kind;

	private final @Nullable Duration retryAfter;

	OpenInferenceException(Kind kind, String message, @Nullable Duration retryAfter) {
		super(message);
		this.kind = kind;
		this.retryAfter = retryAfter;
	}

	/**
	 * A request that does not fit the model or the protocol.
	 * @param message what is wrong, naming the model and the input
	 * @return the exception
	 */
	public static OpenInferenceException badRequest(String message) {
		return new OpenInferenceException(Kind.BAD_REQUEST, message, null);
	}

	/**
	 * No such model or version.
	 * @param message what is wrong, naming the model and the input
	 * @return the exception
	 */
	public static OpenInferenceException notFound(String message) {
		return new OpenInferenceException(Kind.NOT_FOUND, message, null);
	}

	/**
	 * A body over the size limit.
	 * @param message what is wrong, naming the model and the input
	 * @return the exception
	 */
	public static OpenInferenceException tooLarge(String message) {
		return new OpenInferenceException(Kind.TOO_LARGE, message, null);
	}

	/**
	 * A run the model cannot take now.
	 * @param message what is wrong, naming the model and the input
	 * @param retryAfter when to retry
	 * @return the exception
	 */
	public static OpenInferenceException unavailable(String message, Duration retryAfter) {
		return new OpenInferenceException(Kind.UNAVAILABLE, message, retryAfter);
	}

	public Kind getKind() {
		return this.kind;
	}

	/**
	 * When a refused request may be retried.
	 * @return the wait, {@code null} unless the kind is {@link Kind#UNAVAILABLE}
	 */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * What went wrong, as the protocol's answers tell it apart.
	 */
	public enum Kind {

		/**
		 * The request does not fit the model or the protocol: HTTP 400, gRPC
		 * INVALID_ARGUMENT.
		 */
		BAD_REQUEST,

		/**
		 * No such model or version: HTTP 404, gRPC NOT_FOUND.
		 */
		NOT_FOUND,

		/**
		 * The body is larger than {@code onnx.open-inference.rest.max-request-size}: HTTP
		 * 413.
		 */
		TOO_LARGE,

		/**
		 * The model cannot take the run now (busy, shutting down, warming up): HTTP 503
		 * with Retry-After, gRPC UNAVAILABLE.
		 */
		UNAVAILABLE

	}

}
