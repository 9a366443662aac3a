/**
 * Dynamic batching, machinery and not API: runs of one model queued by callers are
 * stacked along their batch dimension, run as one, and each caller gets back its own
 * slice as a normal {@code OrtSession.Result}.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.batching;

import org.jspecify.annotations.NullMarked;
