/**
 * The per-request cost of the Open Inference Protocol's REST and gRPC endpoints against
 * an in-process {@code OnnxInference} run.
 */
@NullMarked
package io.github.onnxgpu.benchmarks.openinference;

import org.jspecify.annotations.NullMarked;
