/**
 * The web application of the first-request-over-HTTP scenario.
 */
package io.github.onnxgpu.benchmarks.http;
