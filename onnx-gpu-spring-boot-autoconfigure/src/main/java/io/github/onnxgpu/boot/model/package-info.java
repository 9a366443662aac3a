/**
 * The application's API: {@link io.github.onnxgpu.boot.model.OnnxInference} to run models
 * by name (and {@link io.github.onnxgpu.boot.model.OnnxBinding} for runs on reused
 * buffers), {@link io.github.onnxgpu.boot.model.OnnxModelRegistry} to look the models up,
 * and the enums of the models' configuration properties.
 */
@NullMarked
package io.github.onnxgpu.boot.model;

import org.jspecify.annotations.NullMarked;
