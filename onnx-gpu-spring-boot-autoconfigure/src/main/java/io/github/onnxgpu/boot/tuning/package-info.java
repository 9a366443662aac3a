/**
 * Tuning a model's settings at start-up: the candidates, their measurements, the choice
 * and the cache that remembers it.
 */
@NullMarked
package io.github.onnxgpu.boot.tuning;

import org.jspecify.annotations.NullMarked;
