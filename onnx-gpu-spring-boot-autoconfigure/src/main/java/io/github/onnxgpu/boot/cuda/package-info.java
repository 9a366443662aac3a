/**
 * CUDA execution provider options, the provider chain (TensorRT, CUDA, CPU) with its
 * fallback decision, and the driver probe.
 */
package io.github.onnxgpu.boot.cuda;
