/**
 * The embedding comparison: the starter's {@code EmbeddingModel} against Spring AI's and
 * LangChain4j's in-process embedding models, each trial in a JVM of its own.
 */
package io.github.onnxgpu.benchmarks.embedding;
