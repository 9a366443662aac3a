/**
 * Auto-configuration of the ONNX Runtime sessions, endpoint, health, metrics and native
 * library cache.
 */
package io.github.onnxgpu.boot.autoconfigure;
