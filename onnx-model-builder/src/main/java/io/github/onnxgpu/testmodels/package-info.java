/**
 * Small ONNX models written from code, for tests, the sample app and the benchmarks.
 */
package io.github.onnxgpu.testmodels;
