package io.github.onnxgpu.sample.predict;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request {@code POST /predict} cannot serve, answered as a problem detail with a
 * message that says what to send instead.
 */
public class PredictionRejectedException extends ErrorResponseException {

	public PredictionRejectedException(HttpStatus status, String detail) {
		super(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

	static PredictionRejectedException badRequest(String detail) {
		return new PredictionRejectedException(HttpStatus.BAD_REQUEST, detail);
	}

	static PredictionRejectedException tooLarge(String detail) {
		return new PredictionRejectedException(HttpStatus.CONTENT_TOO_LARGE, detail);
	}

	@Override
	public String getMessage() {
		return getBody().getDetail();
	}

}
