/**
 * The {@code onnx} actuator endpoint and the models' health.
 */
package io.github.onnxgpu.boot.actuate;
