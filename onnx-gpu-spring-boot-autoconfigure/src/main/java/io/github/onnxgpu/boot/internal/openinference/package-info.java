/**
 * The Open Inference Protocol (the KServe V2 protocol) over the starter's models: its
 * datatypes, the checks of a request against a model, runs through
 * {@link io.github.onnxgpu.boot.model.OnnxInference}, and the REST (JSON and Triton's
 * binary tensor data extension) and gRPC encodings.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.openinference;

import org.jspecify.annotations.NullMarked;
