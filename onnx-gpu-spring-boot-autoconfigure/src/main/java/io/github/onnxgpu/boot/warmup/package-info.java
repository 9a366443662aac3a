/**
 * Warming the models up before the application accepts traffic.
 */
package io.github.onnxgpu.boot.warmup;
