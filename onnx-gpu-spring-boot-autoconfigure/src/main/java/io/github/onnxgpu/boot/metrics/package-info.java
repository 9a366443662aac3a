/**
 * Micrometer metrics of the models.
 */
package io.github.onnxgpu.boot.metrics;
