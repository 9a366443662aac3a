/**
 * The benchmark scenarios, each a series of trials.
 */
package io.github.onnxgpu.benchmarks.scenario;
