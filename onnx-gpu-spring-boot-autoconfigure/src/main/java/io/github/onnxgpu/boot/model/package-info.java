/**
 * The configured models: their definitions and sources, how their sessions are built, the
 * registry that holds them, and {@link io.github.onnxgpu.boot.model.OnnxInference} to run
 * them.
 */
@NullMarked
package io.github.onnxgpu.boot.model;

import org.jspecify.annotations.NullMarked;
