/**
 * Reading NumPy {@code .npy} files for warmup samples of real data.
 */
@NullMarked
package io.github.onnxgpu.boot.warmup.npy;

import org.jspecify.annotations.NullMarked;
