/**
 * Warm-up requests: HTTP requests the application sends to itself before it accepts
 * traffic, so that the whole request path is compiled.
 * <p>
 * Internal to the starter, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.warmup.request;

import org.jspecify.annotations.NullMarked;
