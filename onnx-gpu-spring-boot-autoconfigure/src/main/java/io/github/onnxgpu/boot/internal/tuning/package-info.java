/**
 * Tuning a model's settings at start-up: the candidates, their measurements, the choice
 * and the cache that remembers it.
 * <p>
 * Internal to the starter, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.tuning;

import org.jspecify.annotations.NullMarked;
