/**
 * Micrometer metrics of the models.
 * <p>
 * Internal to the starter, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.metrics;

import org.jspecify.annotations.NullMarked;
