/**
 * Start-up failures reported as what is wrong and what fixes it.
 */
package io.github.onnxgpu.boot.diagnostics;
