/**
 * A lasting cache of ONNX Runtime's native libraries.
 * <p>
 * Internal to the starter, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.nativelib;

import org.jspecify.annotations.NullMarked;
