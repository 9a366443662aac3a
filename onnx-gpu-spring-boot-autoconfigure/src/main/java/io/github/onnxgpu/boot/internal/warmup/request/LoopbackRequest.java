package io.github.onnxgpu.boot.internal.warmup.request;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.WarmupRequestMethod;

/**
 * A request the application sends to itself before it accepts traffic, so that the JIT
 * compiles the whole request path (pre- and post-processing included).
 *
 * @param index the position in {@code onnx.warmup.requests}, for messages
 * @param method the HTTP method
 * @param path the path below the context path, with an optional query
 * @param body the body, {@code null} for none
 * @param contentType the body's content type, {@code null} to send none
 * @param headers further request headers
 * @param repeat how many times to send it
 * @param expectStatus the statuses that count as success; empty for any 2xx
 */
public record LoopbackRequest(int index, WarmupRequestMethod method, String path, byte @Nullable [] body,
		@Nullable String contentType, Map<String, String> headers, int repeat, List<Integer> expectStatus) {

	public LoopbackRequest {
		headers = Map.copyOf(headers);
		expectStatus = List.copyOf(expectStatus);
	}

	/**
	 * The property that configures this request.
	 * @return such as {@code onnx.warmup.requests[0]}
	 */
	public String property() {
		return property(this.index);
	}

	/**
	 * The property that configures a request.
	 * @param index the request's position
	 * @return such as {@code onnx.warmup.requests[0]}
	 */
	public static String property(int index) {
		return "onnx.warmup.requests[" + index + "]";
	}

	/**
	 * Whether a status counts as success.
	 * @param status the HTTP status
	 * @return whether it is expected
	 */
	public boolean expects(int status) {
		return this.expectStatus.isEmpty() ? (status >= 200 && status < 300) : this.expectStatus.contains(status);
	}

	/**
	 * The path with query values masked, as shown in messages.
	 * @return such as {@code /predict?token=******}
	 */
	public String maskedPath() {
		return LoopbackRequestSender.maskQuery(this.path);
	}

	/**
	 * Text with every header value of this request replaced by {@code ******}: the last
	 * guard for text this starter does not write itself, such as an exception's message.
	 * @param text the text
	 * @return the masked text
	 */
	public String maskHeaders(String text) {
		String masked = text;
		for (String value : this.headers.values()) {
			for (String form : new String[] { value, value.strip() }) {
				if (!form.isEmpty()) {
					masked = masked.replace(form, LoopbackRequestSender.MASK);
				}
			}
		}
		return masked;
	}

	/**
	 * The request without its secrets: header values and query values masked, the body by
	 * its size.
	 * @return the description
	 */
	@Override
	public String toString() {
		StringJoiner headers = new StringJoiner(", ", "{", "}");
		this.headers.keySet().forEach((name) -> headers.add(name + "=" + LoopbackRequestSender.MASK));
		return "LoopbackRequest[index=" + this.index + ", method=" + this.method + ", path="
				+ LoopbackRequestSender.maskQuery(this.path) + ", body="
				+ ((this.body != null) ? this.body.length + " bytes" : "none") + ", contentType=" + this.contentType
				+ ", headers=" + headers + ", repeat=" + this.repeat + ", expectStatus=" + this.expectStatus + "]";
	}

	/**
	 * The expected statuses in words, for messages.
	 * @return such as {@code any 2xx} or {@code [200, 404]}
	 */
	public String describeExpected() {
		return this.expectStatus.isEmpty() ? "any 2xx" : this.expectStatus.toString();
	}

}
