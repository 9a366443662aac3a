/**
 * Execution providers: the chain a session's provider is chosen along (TensorRT, CUDA,
 * CPU) with its fallback decisions and the driver probe, the CUDA and TensorRT options,
 * TensorRT optimization profiles derived from the warmup, and the engine and timing
 * caches.
 */
@NullMarked
package io.github.onnxgpu.boot.provider;

import org.jspecify.annotations.NullMarked;
