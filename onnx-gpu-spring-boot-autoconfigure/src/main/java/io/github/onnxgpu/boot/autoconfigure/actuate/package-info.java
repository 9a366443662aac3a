/**
 * Auto-configuration of the {@code onnx} actuator endpoint.
 */
@NullMarked
package io.github.onnxgpu.boot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
