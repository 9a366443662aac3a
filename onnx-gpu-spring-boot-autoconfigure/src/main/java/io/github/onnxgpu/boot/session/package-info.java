/**
 * Sessions of the configured models: their factory, registry and inference.
 */
package io.github.onnxgpu.boot.session;
