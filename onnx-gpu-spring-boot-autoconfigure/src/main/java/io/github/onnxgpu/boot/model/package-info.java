/**
 * The configured models: their definitions and sources, how their sessions are built, the
 * registry that holds them, and {@link io.github.onnxgpu.boot.model.OnnxInference} to run
 * them.
 */
package io.github.onnxgpu.boot.model;
