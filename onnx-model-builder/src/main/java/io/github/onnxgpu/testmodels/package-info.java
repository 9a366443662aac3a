/**
 * Small ONNX models written from code, for tests, the sample app and the benchmarks.
 */
@NullMarked
package io.github.onnxgpu.testmodels;

import org.jspecify.annotations.NullMarked;
