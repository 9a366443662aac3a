/**
 * Start-up failures reported as what is wrong and what fixes it, and the check of the
 * Spring Boot version.
 * <p>
 * Internal to the starter, not API.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.diagnostics;

import org.jspecify.annotations.NullMarked;
