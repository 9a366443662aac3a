package io.github.onnxgpu.boot.internal.warmup;

import java.time.Instant;

/**
 * The warmup sample a model is running, for the actuator endpoint while it warms.
 *
 * @param sample the sample, with every input's dimensions
 * @param since when its first run started
 * @since 0.1.0
 */
public record SampleInProgress(ResolvedShape sample, Instant since) {

}
