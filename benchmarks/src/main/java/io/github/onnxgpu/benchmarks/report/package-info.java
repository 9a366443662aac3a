/**
 * Summaries, tables and result files of benchmark runs.
 */
package io.github.onnxgpu.benchmarks.report;
