/**
 * Auto-configuration of the warm-up requests the application sends to itself before it
 * accepts traffic.
 */
@NullMarked
package io.github.onnxgpu.boot.autoconfigure.warmup;

import org.jspecify.annotations.NullMarked;
