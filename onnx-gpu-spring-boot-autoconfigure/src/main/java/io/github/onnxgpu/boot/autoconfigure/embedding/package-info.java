/**
 * Auto-configuration of text embedding models: Spring AI's (and LangChain4j's)
 * {@code EmbeddingModel} per model with an {@code embedding} section.
 */
@NullMarked
package io.github.onnxgpu.boot.autoconfigure.embedding;

import org.jspecify.annotations.NullMarked;
