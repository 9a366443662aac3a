/**
 * The Open Inference Protocol's gRPC service ({@code inference.GRPCInferenceService},
 * generated from the protocol's unmodified {@code .proto}), typed and raw contents.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.openinference.grpc;

import org.jspecify.annotations.NullMarked;
