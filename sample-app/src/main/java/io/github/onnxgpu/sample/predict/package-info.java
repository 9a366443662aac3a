/**
 * The sample's {@code POST /predict}.
 */
package io.github.onnxgpu.sample.predict;
