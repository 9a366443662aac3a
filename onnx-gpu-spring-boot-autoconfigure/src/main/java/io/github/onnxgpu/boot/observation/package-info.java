/**
 * Micrometer Observations of the runs made through the starter.
 */
package io.github.onnxgpu.boot.observation;
