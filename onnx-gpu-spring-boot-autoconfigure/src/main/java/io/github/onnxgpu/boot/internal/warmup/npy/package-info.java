/**
 * Reading NumPy {@code .npy} files for warmup samples of real data.
 * <p>
 * Internal to the starter, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.warmup.npy;

import org.jspecify.annotations.NullMarked;
