package io.github.onnxgpu.sample.predict;

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

/**
 * Answers every failed request as an RFC 9457 problem detail: rejected predictions with
 * their own message, Spring MVC's errors (wrong content type, wrong method) with a
 * message that says what to send, and ONNX Runtime failures without a stack trace.
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

	@ExceptionHandler(OrtException.class)
	ProblemDetail onnxRuntimeFailed(OrtException ex) {
		this.logger.warn("Inference failed", ex);
		return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"ONNX Runtime could not run the model: " + ex.getMessage());
	}

}
