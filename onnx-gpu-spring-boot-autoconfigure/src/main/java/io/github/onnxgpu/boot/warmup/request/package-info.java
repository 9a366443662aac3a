/**
 * Warm-up requests: HTTP requests the application sends to itself before it accepts
 * traffic, so that the whole request path is compiled.
 */
package io.github.onnxgpu.boot.warmup.request;
