package io.github.onnxgpu.sample.predict;

/**
 * A tensor sent as JSON to {@code POST /predict}.
 *
 * @param dims the dimensions, such as {@code [1, 3, 64, 64]}
 * @param data the values, flattened in row-major order
 */
public record TensorRequest(long[] dims, float[] data) {
}
