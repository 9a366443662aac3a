/**
 * CUDA execution provider options, the fallback decision and the driver probe.
 */
package io.github.onnxgpu.boot.cuda;
