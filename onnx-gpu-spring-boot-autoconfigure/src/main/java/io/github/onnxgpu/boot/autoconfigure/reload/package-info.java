/**
 * Auto-configuration of model reloads: new versions served without a restart.
 */
@NullMarked
package io.github.onnxgpu.boot.autoconfigure.reload;

import org.jspecify.annotations.NullMarked;
