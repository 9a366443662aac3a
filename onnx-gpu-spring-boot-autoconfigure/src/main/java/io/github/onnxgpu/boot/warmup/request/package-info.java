/**
 * Warm-up requests: HTTP requests the application sends to itself before it accepts
 * traffic, so that the whole request path is compiled.
 */
@NullMarked
package io.github.onnxgpu.boot.warmup.request;

import org.jspecify.annotations.NullMarked;
