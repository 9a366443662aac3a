package io.github.onnxgpu.boot.internal.openinference;

import java.util.List;

/**
 * The answer to an inference request: which model and version ran it, and the outputs in
 * the order asked for (the model's order when none were named).
 *
 * @param modelName the model
 * @param modelVersion the version that ran
 * @param outputs the outputs
 */
public record InferOutcome(String modelName, String modelVersion, List<ResponseTensor> outputs) {

}
