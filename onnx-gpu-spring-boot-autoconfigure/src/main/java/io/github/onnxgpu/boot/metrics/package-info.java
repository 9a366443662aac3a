/**
 * Micrometer metrics of the models.
 */
@NullMarked
package io.github.onnxgpu.boot.metrics;

import org.jspecify.annotations.NullMarked;
