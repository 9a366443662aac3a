/**
 * Execution providers: the chain a session's provider is chosen along (TensorRT, CUDA,
 * CPU) with its fallback decisions and the driver probe, TensorRT optimization profiles
 * derived from the warmup, and the engine and timing caches.
 * <p>
 * Internal to the starter, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.provider;

import org.jspecify.annotations.NullMarked;
