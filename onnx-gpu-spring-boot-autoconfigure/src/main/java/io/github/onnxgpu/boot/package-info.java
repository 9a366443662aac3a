/**
 * Serving ONNX models with ONNX Runtime in Spring Boot.
 */
@NullMarked
package io.github.onnxgpu.boot;

import org.jspecify.annotations.NullMarked;
