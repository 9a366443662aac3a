package io.github.onnxgpu.boot.model;

/**
 * The HTTP method of a warm-up request.
 *
 * @since 0.1.0
 */
public enum WarmupRequestMethod {

	/**
	 * Reads a resource.
	 */
	GET,

	/**
	 * Like GET, without the body.
	 */
	HEAD,

	/**
	 * Sends a body for processing, as most inference endpoints take their input.
	 */
	POST,

	/**
	 * Replaces a resource with the body.
	 */
	PUT,

	/**
	 * Changes part of a resource.
	 */
	PATCH,

	/**
	 * Deletes a resource.
	 */
	DELETE,

	/**
	 * Asks which methods a resource allows.
	 */
	OPTIONS

}
