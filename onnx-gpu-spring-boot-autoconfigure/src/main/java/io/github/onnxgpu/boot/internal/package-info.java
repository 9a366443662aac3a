/**
 * The starter's machinery, not API: the types under this package may change or go in any
 * release without notice. Applications use {@code io.github.onnxgpu.boot.model}, the
 * configuration properties of {@code io.github.onnxgpu.boot.autoconfigure} and the
 * observation convention of {@code io.github.onnxgpu.boot.observation}.
 */
@NullMarked
package io.github.onnxgpu.boot.internal;

import org.jspecify.annotations.NullMarked;
