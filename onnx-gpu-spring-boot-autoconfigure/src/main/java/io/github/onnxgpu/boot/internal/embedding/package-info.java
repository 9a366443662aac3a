/**
 * Text embeddings: the tokenizer (DJL's Hugging Face tokenizers), sequence buckets,
 * pooling and normalisation over a model run through {@code OnnxInference}, the start-up
 * checks of a text encoder, and the adapters to Spring AI's and LangChain4j's
 * {@code EmbeddingModel}. Loaded only where the auto-configuration finds those libraries.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.embedding;

import org.jspecify.annotations.NullMarked;
