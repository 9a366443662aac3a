/**
 * Auto-configuration of the ONNX Runtime sessions, endpoint, health, metrics and native
 * library cache.
 */
@NullMarked
package io.github.onnxgpu.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
