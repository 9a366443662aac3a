/**
 * The {@code onnx} actuator endpoint.
 */
@NullMarked
package io.github.onnxgpu.boot.actuate;

import org.jspecify.annotations.NullMarked;
