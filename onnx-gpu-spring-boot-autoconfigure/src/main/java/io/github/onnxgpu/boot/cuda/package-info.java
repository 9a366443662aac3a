/**
 * CUDA execution provider options, the fallback decision and the driver probe.
 */
@NullMarked
package io.github.onnxgpu.boot.cuda;

import org.jspecify.annotations.NullMarked;
