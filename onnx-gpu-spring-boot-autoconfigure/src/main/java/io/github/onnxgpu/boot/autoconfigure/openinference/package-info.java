/**
 * Auto-configuration of the Open Inference Protocol (KServe V2) over the configured
 * models: REST on Spring MVC, gRPC on Spring gRPC's server.
 */
@NullMarked
package io.github.onnxgpu.boot.autoconfigure.openinference;

import org.jspecify.annotations.NullMarked;
