package io.github.onnxgpu.benchmarks.report;

/**
 * A target from the benchmark's issue and whether the measured figure meets it.
 *
 * @param subject what is measured, such as {@code detector image: 1x3x256x256}
 * @param target the target, such as {@code first/p50 <= 1.15}
 * @param observed the measured figure
 * @param met whether the target is met
 */
public record TargetCheck(String subject, String target, String observed, boolean met) {
}
