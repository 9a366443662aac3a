/**
 * Auto-configuration of ONNX Runtime sessions for the configured models, and the
 * configuration properties under {@code onnx}.
 */
@NullMarked
package io.github.onnxgpu.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
