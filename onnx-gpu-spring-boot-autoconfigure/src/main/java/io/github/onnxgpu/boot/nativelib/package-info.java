/**
 * A lasting cache of ONNX Runtime's native libraries.
 */
package io.github.onnxgpu.boot.nativelib;
