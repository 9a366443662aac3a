package io.github.onnxgpu.sample.predict;

import java.time.Duration;
import java.util.stream.Collectors;

import ai.onnxruntime.OrtException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.github.onnxgpu.boot.model.OnnxModelBusyException;

/**
 * Answers every failed request as an RFC 9457 problem detail: rejected predictions with
 * their own message, Spring MVC's errors (wrong content type, wrong method) with a
 * message that says what to send, a model too busy to take the run (its batching queue
 * full, a run that waited too long, shutdown) as 503 with {@code Retry-After}, and ONNX
 * Runtime failures without a stack trace.
 */
@RestControllerAdvice
public class PredictExceptionHandler extends ResponseEntityExceptionHandler {

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		MediaType sent = ex.getContentType();
		String supported = ex.getSupportedMediaTypes()
			.stream()
			.map(MediaType::toString)
			.sorted()
			.collect(Collectors.joining(", "));
		ex.getBody()
			.setDetail(((sent != null) ? "Content-Type " + sent + " is not supported" : "The Content-Type is missing")
					+ "; send one of " + supported);
		return super.handleHttpMediaTypeNotSupported(ex, headers, status, request);
	}

	@ExceptionHandler(OnnxModelBusyException.class)
	ResponseEntity<ProblemDetail> modelBusy(OnnxModelBusyException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setProperty("reason", ex.getReason().name());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds(ex.getRetryAfter())))
			.body(problem);
	}

	/**
	 * Retry-After in whole seconds (RFC 9110): the suggested wait rounded up, at least
	 * one second, so that a client never retries at once.
	 * @param retryAfter the suggested wait
	 * @return the seconds
	 */
	static long retryAfterSeconds(Duration retryAfter) {
		long seconds = retryAfter.toSeconds() + ((retryAfter.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

	@ExceptionHandler(OrtException.class)
	ProblemDetail onnxRuntimeFailed(OrtException ex) {
		this.logger.warn("Inference failed", ex);
		return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"ONNX Runtime could not run the model: " + ex.getMessage());
	}

}
