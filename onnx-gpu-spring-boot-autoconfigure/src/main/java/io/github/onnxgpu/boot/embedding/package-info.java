/**
 * Text embeddings: the enum of the {@code onnx.models.<name>.embedding} properties. A
 * model with an {@code embedding} section is served as a Spring AI {@code EmbeddingModel}
 * (and a LangChain4j {@code EmbeddingModel} where LangChain4j is on the class path),
 * qualified by the model's name.
 */
@NullMarked
package io.github.onnxgpu.boot.embedding;

import org.jspecify.annotations.NullMarked;
