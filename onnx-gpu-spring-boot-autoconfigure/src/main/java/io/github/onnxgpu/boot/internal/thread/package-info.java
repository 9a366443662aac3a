/**
 * The threads the starter starts: named, daemon, from one factory.
 * <p>
 * Internal to the starter, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.thread;

import org.jspecify.annotations.NullMarked;
