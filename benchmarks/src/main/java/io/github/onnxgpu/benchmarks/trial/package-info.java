/**
 * One trial: a fresh JVM that starts the starter or hand-written code and reports its
 * timings.
 */
package io.github.onnxgpu.benchmarks.trial;
