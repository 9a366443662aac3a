/**
 * What the starter waits for during start-up, bounded and ended by a JVM shutdown:
 * downloads of remote models and request bodies. Internal machinery, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.startup;

import org.jspecify.annotations.NullMarked;
