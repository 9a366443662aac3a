package io.github.onnxgpu.boot.warmup.request;

/**
 * The HTTP method of a warm-up request.
 *
 * @since 0.1.0
 */
public enum WarmupRequestMethod {

	GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS

}
