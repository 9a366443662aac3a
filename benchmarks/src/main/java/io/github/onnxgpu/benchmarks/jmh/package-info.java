/**
 * JMH benchmarks of the per-call overhead of the inference paths.
 */
package io.github.onnxgpu.benchmarks.jmh;
