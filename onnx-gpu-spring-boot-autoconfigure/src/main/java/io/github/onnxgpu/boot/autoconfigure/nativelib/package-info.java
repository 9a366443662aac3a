/**
 * Auto-configuration of the lasting cache of ONNX Runtime's native libraries.
 */
@NullMarked
package io.github.onnxgpu.boot.autoconfigure.nativelib;

import org.jspecify.annotations.NullMarked;
