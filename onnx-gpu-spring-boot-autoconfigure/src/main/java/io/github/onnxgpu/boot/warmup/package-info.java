/**
 * Warming the models up before the application accepts traffic.
 */
@NullMarked
package io.github.onnxgpu.boot.warmup;

import org.jspecify.annotations.NullMarked;
