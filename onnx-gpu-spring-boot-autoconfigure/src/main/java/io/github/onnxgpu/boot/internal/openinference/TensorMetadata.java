package io.github.onnxgpu.boot.internal.openinference;

import java.util.List;

/**
 * An input or output of a model as the protocol's metadata lists it.
 *
 * @param name the tensor's name
 * @param datatype the protocol's datatype name, such as {@code FP32}
 * @param shape the dimensions, -1 for a dynamic one
 */
public record TensorMetadata(String name, String datatype, List<Long> shape) {

}
