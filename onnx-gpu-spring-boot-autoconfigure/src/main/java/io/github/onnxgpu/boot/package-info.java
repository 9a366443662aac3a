/**
 * Serving ONNX models with ONNX Runtime in Spring Boot.
 */
package io.github.onnxgpu.boot;
