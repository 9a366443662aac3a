/**
 * Auto-configuration of the models' health contributor.
 */
@NullMarked
package io.github.onnxgpu.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
