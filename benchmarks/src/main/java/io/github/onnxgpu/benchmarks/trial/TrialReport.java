package io.github.onnxgpu.benchmarks.trial;

import java.util.List;
import java.util.Map;

/**
 * What one trial measured, printed by the trial's JVM as one JSON line on stdout.
 *
 * @param kind always {@link #KIND}, to find the line among log output
 * @param launcher {@code starter} or {@code hand-written}
 * @param ortVersion the ONNX Runtime version
 * @param jvmStartToReadyMs from JVM start to ready: the starter's readiness switching to
 * ACCEPTING_TRAFFIC, or the hand-written code having its sessions (and warm runs)
 * @param refreshToReadyMs starter only: from the start of the context refresh
 * (ApplicationPreparedEvent) to ACCEPTING_TRAFFIC
 * @param readyWorkMs hand-written only: ONNX Runtime environment, session creation and
 * warm runs by hand, the bare minimum of getting ready
 * @param models per model: provider, session creation and warmup
 * @param probes the timed requests after ready
 */
public record TrialReport(String kind, String launcher, String ortVersion, double jvmStartToReadyMs,
		Double refreshToReadyMs, Double readyWorkMs, List<ModelReport> models, List<ProbeReport> probes) {

	/** The value of {@code kind} that marks the report line. */
	public static final String KIND = "onnx-benchmark-trial";

	/**
	 * How one model got ready.
	 *
	 * @param name the model
	 * @param provider the provider it runs on
	 * @param sessionCreationMs time to create its session
	 * @param providerSetupMs time to choose and add its execution provider (the CUDA
	 * attempt, or the driver probe), or {@code null} when not measured
	 * @param warmupMs wall time of its warmup, or {@code null} without warmup
	 * @param warmupStartMs when its warmup started, relative to the start of the first
	 * warmup, or {@code null}
	 * @param tuning starter only: the model's {@code tuning} section of
	 * {@code /actuator/onnx} as JSON, or {@code null} when the starter has none
	 */
	public record ModelReport(String name, String provider, double sessionCreationMs, Double providerSetupMs,
			Double warmupMs, Double warmupStartMs, Map<String, Object> tuning) {
	}

	/**
	 * One probed shape: its first request after ready and its steady state.
	 *
	 * @param model the model
	 * @param shape the input dimensions, such as {@code image: 1x3x256x256}
	 * @param warmed whether the shape was warmed
	 * @param firstMs the first request at this shape
	 * @param steadyP50Ms the median of the steady-state runs
	 * @param steadyMinMs the fastest steady-state run
	 * @param steadyMaxMs the slowest steady-state run
	 * @param steadyRuns how many steady-state runs were timed
	 * @param afterIdleP50Ms the median of runs that each follow an idle gap, like a
	 * request after a quiet moment, or {@code null} when none were timed
	 */
	public record ProbeReport(String model, String shape, boolean warmed, double firstMs, double steadyP50Ms,
			double steadyMinMs, double steadyMaxMs, int steadyRuns, Double afterIdleP50Ms) {

		/**
		 * The first request over the steady-state median: 1.0 means the first request was
		 * as fast as the typical one.
		 * @return the ratio
		 */
		public double ratio() {
			return this.firstMs / this.steadyP50Ms;
		}

	}

}
