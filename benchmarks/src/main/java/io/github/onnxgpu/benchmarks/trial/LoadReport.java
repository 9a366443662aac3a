package io.github.onnxgpu.benchmarks.trial;

import java.util.List;
import java.util.Map;

/**
 * What one load trial measured, printed as one JSON line.
 *
 * @param kind always {@link #KIND}
 * @param configuration the configuration's label
 * @param ortVersion the ONNX Runtime version
 * @param provider the provider the model runs on
 * @param jvmStartToReadyMs from JVM start to the context being ready
 * @param openLoopBaseline the runs per second the open loop's fractions applied to
 * @param points the closed-loop points, then the open-loop points
 * @param model the model's section of {@code /actuator/onnx} as JSON (the batching and
 * instance settings the starter applied, where it shows them)
 */
public record LoadReport(String kind, String configuration, String ortVersion, String provider,
		double jvmStartToReadyMs, double openLoopBaseline, List<LoadPoint> points, Map<String, Object> model) {

	/** The value of {@code kind} that marks the report line. */
	public static final String KIND = "onnx-benchmark-load";

	/**
	 * One point of a load curve. Latencies count the calls that succeeded; in the open
	 * loop from each call's scheduled arrival, so that a call waiting for a free thread
	 * or for the model counts its wait (no coordinated omission).
	 *
	 * @param loop {@code closed} or {@code open}
	 * @param callers the closed loop's concurrent callers, or the open loop's threads
	 * used
	 * @param targetRate the open loop's arrival rate per second, or 0
	 * @param fraction the open loop's rate as a fraction of the baseline, or 0
	 * @param completed calls that succeeded in the measured period
	 * @param refused calls refused ({@code OnnxModelBusyException}: queue full or timed
	 * out)
	 * @param failed calls that failed otherwise
	 * @param unfinished open loop only: calls that arrived in the measured period and had
	 * not finished when the point gave up waiting for them; they count in the latencies
	 * at the time they had waited, so the percentiles they reach are lower bounds
	 * @param seconds the period the throughput is measured over
	 * @param throughput calls that succeeded per second
	 * @param p50Ms the median latency
	 * @param p95Ms the 95th percentile
	 * @param p99Ms the 99th percentile
	 * @param maxMs the longest
	 * @param meanMs the mean
	 * @param firstError the first failure's message, or {@code null}
	 */
	public record LoadPoint(String loop, int callers, double targetRate, double fraction, long completed, long refused,
			long failed, long unfinished, double seconds, double throughput, double p50Ms, double p95Ms, double p99Ms,
			double maxMs, double meanMs, String firstError) {

		/** The closed loop. */
		public static final String CLOSED = "closed";

		/** The open loop. */
		public static final String OPEN = "open";

	}

}
