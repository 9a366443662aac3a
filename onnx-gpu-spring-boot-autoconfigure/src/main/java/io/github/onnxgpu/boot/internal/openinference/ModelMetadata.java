package io.github.onnxgpu.boot.internal.openinference;

import java.util.List;

/**
 * A model's metadata as the protocol answers it. Nothing in it says where the model was
 * read from.
 *
 * @param name the model's name
 * @param versions the versions that may be asked for: the running one
 * @param platform {@value OpenInferenceService#PLATFORM}
 * @param inputs the inputs in the model's order
 * @param outputs the outputs in the model's order
 */
public record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
		List<TensorMetadata> outputs) {

}
