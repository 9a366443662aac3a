/**
 * A lasting cache of ONNX Runtime's native libraries.
 */
@NullMarked
package io.github.onnxgpu.boot.nativelib;

import org.jspecify.annotations.NullMarked;
