/**
 * The sample application.
 */
package io.github.onnxgpu.sample;
