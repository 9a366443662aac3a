package io.github.onnxgpu.benchmarks.scenario;

import io.github.onnxgpu.benchmarks.trial.TrialReport;

/**
 * One trial as kept in the JSON result file: what was run and what it reported.
 *
 * @param provider the provider label
 * @param setup the setup, such as {@code starter, iterations=3}
 * @param models the models loaded, such as {@code detector+sequence}
 * @param trial the trial's number, from 1
 * @param report what the trial measured
 */
public record TrialRecord(String provider, String setup, String models, int trial, TrialReport report) {
}
