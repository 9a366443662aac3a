/**
 * Warming the models up before the application accepts traffic: the plan, its samples and
 * the timed runs.
 * <p>
 * Internal to the starter, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.warmup;

import org.jspecify.annotations.NullMarked;
