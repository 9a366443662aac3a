package io.github.onnxgpu.boot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.model.WarmupRequestMethod;

/**
 * A request the application sends to itself before it accepts traffic, one entry of
 * {@code onnx.warmup.requests}.
 *
 * @since 0.1.0
 */
public class WarmupRequest {

	/**
	 * Path below the context path, with an optional query, such as '/predict?fit=native'.
	 * Query values are masked wherever the path is shown.
	 */
	private @Nullable String path;

	/**
	 * HTTP method.
	 */
	private WarmupRequestMethod method = WarmupRequestMethod.GET;

	/**
	 * Request body, such as 'classpath:/warmup/photo.png'.
	 */
	private @Nullable Resource body;

	/**
	 * Content type of the body, such as 'image/png'.
	 */
	private @Nullable String contentType;

	/**
	 * Further request headers, by name. Their values are never shown.
	 */
	private Map<String, String> headers = new LinkedHashMap<>();

	/**
	 * How many times the request is sent.
	 */
	private int repeat = 10;

	/**
	 * Statuses that count as success. Any 2xx when empty.
	 */
	private List<Integer> expectStatus = new ArrayList<>();

	public @Nullable String getPath() {
		return this.path;
	}

	public void setPath(@Nullable String path) {
		this.path = path;
	}

	public WarmupRequestMethod getMethod() {
		return this.method;
	}

	public void setMethod(WarmupRequestMethod method) {
		this.method = method;
	}

	public @Nullable Resource getBody() {
		return this.body;
	}

	public void setBody(@Nullable Resource body) {
		this.body = body;
	}

	public @Nullable String getContentType() {
		return this.contentType;
	}

	public void setContentType(@Nullable String contentType) {
		this.contentType = contentType;
	}

	public Map<String, String> getHeaders() {
		return this.headers;
	}

	public void setHeaders(Map<String, String> headers) {
		this.headers = headers;
	}

	public int getRepeat() {
		return this.repeat;
	}

	public void setRepeat(int repeat) {
		this.repeat = repeat;
	}

	public List<Integer> getExpectStatus() {
		return this.expectStatus;
	}

	public void setExpectStatus(List<Integer> expectStatus) {
		this.expectStatus = expectStatus;
	}

}
