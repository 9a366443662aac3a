/**
 * Auto-configuration of the models' Micrometer metrics.
 */
@NullMarked
package io.github.onnxgpu.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
