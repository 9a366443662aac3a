/**
 * TensorRT execution provider settings, optimization profiles derived from the warmup,
 * and the engine and timing caches.
 */
package io.github.onnxgpu.boot.tensorrt;
