/**
 * Micrometer Observations of the runs made through the starter.
 */
@NullMarked
package io.github.onnxgpu.boot.observation;

import org.jspecify.annotations.NullMarked;
