/**
 * Start-up failures reported as what is wrong and what fixes it.
 */
@NullMarked
package io.github.onnxgpu.boot.diagnostics;

import org.jspecify.annotations.NullMarked;
