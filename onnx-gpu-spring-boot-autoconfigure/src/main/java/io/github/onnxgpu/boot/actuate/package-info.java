/**
 * The {@code onnx} actuator endpoint and the models' health.
 */
@NullMarked
package io.github.onnxgpu.boot.actuate;

import org.jspecify.annotations.NullMarked;
