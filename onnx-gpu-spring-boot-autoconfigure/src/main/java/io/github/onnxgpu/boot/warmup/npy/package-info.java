/**
 * Reading NumPy {@code .npy} files for warmup samples of real data.
 */
package io.github.onnxgpu.boot.warmup.npy;
