/**
 * The benchmark harness: runs the scenarios and writes their results. Not shipped.
 */
package io.github.onnxgpu.benchmarks;
