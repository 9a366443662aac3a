/**
 * Loading and serving models: definitions and sources, session creation along the
 * provider chain, the managed model and its registry, tuning and warmup at start-up, and
 * the implementation of {@code OnnxInference} and its bindings.
 * <p>
 * Internal to the starter, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.session;

import org.jspecify.annotations.NullMarked;
