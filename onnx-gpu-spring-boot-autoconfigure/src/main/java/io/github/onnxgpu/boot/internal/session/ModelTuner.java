package io.github.onnxgpu.boot.internal.session;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.tuning.CandidateMeasurement;
import io.github.onnxgpu.boot.internal.tuning.Percentiles;
import io.github.onnxgpu.boot.internal.tuning.SampleMeasurement;
import io.github.onnxgpu.boot.internal.tuning.TuningChoice;
import io.github.onnxgpu.boot.internal.tuning.TuningEntry;
import io.github.onnxgpu.boot.internal.tuning.TuningReport;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.internal.warmup.ModelWarmer;
import io.github.onnxgpu.boot.internal.warmup.ShapeTimings;
import io.github.onnxgpu.boot.internal.warmup.TimedRuns;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;
import io.github.onnxgpu.boot.internal.warmup.WarmupSettings;

/**
 * Tunes a model during its warmup: creates each candidate's session in turn, warms it at
 * the warmup samples until steady, times the configured number of runs per sample, and
 * serves the model with the winner (see {@link TuningChoice}). Only the sessions that can
 * still win stay open while the others are measured; the winner's is kept, not created
 * again. The model's warmup timeout covers all of it, and shutdown stops it as it stops a
 * warmup.
 */
final class ModelTuner {

	private static final Log logger = LogFactory.getLog(ModelTuner.class);

	private final ModelWarmer warmer;

	private final LongSupplier ticker;

	ModelTuner(ModelWarmer warmer, LongSupplier ticker) {
		this.warmer = warmer;
		this.ticker = ticker;
	}

	/**
	 * Tune a model, which then serves with the winner.
	 * @param model the model
	 * @param job what to tune
	 * @return the warmup result of the model: the winner's warmup over the whole tuning
	 * time, or the reason tuning failed
	 */
	WarmupResult tune(ManagedModel model, TuningJob job) {
		Instant startedAt = Instant.now();
		long start = System.nanoTime();
		WarmupSettings warmup = model.definition().warmup();
		long deadline = start + warmup.timeout().toNanos();
		List<CandidateMeasurement> measurements = new ArrayList<>();
		Map<Integer, LoadedSession> open = new LinkedHashMap<>();
		Map<Integer, WarmupResult> warmups = new LinkedHashMap<>();
		boolean complete = true;
		try {
			double best = Double.MAX_VALUE;
			for (int i = 0; i < job.candidates().size(); i++) {
				TuningCandidate candidate = job.candidates().get(i);
				long left = deadline - System.nanoTime();
				if (model.isClosing() || left <= 0) {
					complete = false;
					measurements.add(CandidateMeasurement.failed(candidate.settings(), null,
							model.isClosing() ? "not tried: stopped by shutdown"
									: "not tried: the warmup timeout of " + warmup.timeout() + " ran out"));
					continue;
				}
				Measured measured = measure(model, job, candidate, deadline);
				measurements.add(measured.measurement());
				if (measured.session() == null) {
					continue;
				}
				warmups.put(i, measured.warmup());
				best = Math.min(best, measured.measurement().sumP50Millis());
				open.put(i, measured.session());
				closeLosers(open, measurements, best);
			}
			int chosen = TuningChoice.choose(measurements);
			double tuningMillis = millis(System.nanoTime() - start);
			if (chosen < 0 || model.isClosing()) {
				String error = model.isClosing() ? "stopped by shutdown"
						: "every candidate failed: " + errors(measurements);
				model.tuningState()
					.finished(new TuningReport(TuningStatus.FAILED, null, measurements, job.cacheDirectory(), false,
							tuningMillis, error));
				return new WarmupResult(startedAt, Instant.now(), List.of(), "tuning failed: " + error);
			}
			LoadedSession winner = open.remove(chosen);
			try {
				model.swap(winner);
			}
			catch (RuntimeException ex) {
				// the model closed under the tuning: nothing serves with this session
				winner.closeQuietly();
				throw ex;
			}
			// further instances reuse the choice: tuned once, not once per instance
			job.factory().addInstances(model, job.source());
			model.tuningState()
				.finished(new TuningReport(TuningStatus.TUNED, chosen, measurements, job.cacheDirectory(), false,
						tuningMillis, null));
			log(model, measurements, chosen, tuningMillis);
			if (complete) {
				remember(model, job, winner, chosen, measurements);
			}
			return new WarmupResult(startedAt, Instant.now(), warmups.get(chosen).samples(), null);
		}
		catch (RuntimeException ex) {
			// closing under shutdown: the model refuses the swap
			String error = model.isClosing() ? "stopped by shutdown" : String.valueOf(ex.getMessage());
			model.tuningState()
				.finished(new TuningReport(TuningStatus.FAILED, null, measurements, job.cacheDirectory(), false,
						millis(System.nanoTime() - start), error));
			return new WarmupResult(startedAt, Instant.now(), List.of(), "tuning failed: " + error);
		}
		finally {
			open.values().forEach(LoadedSession::closeQuietly);
		}
	}

	private Measured measure(ManagedModel model, TuningJob job, TuningCandidate candidate, long deadline) {
		LoadedSession loaded;
		try {
			loaded = job.factory().open(model.definition().withCandidate(candidate), job.source());
		}
		catch (RuntimeException ex) {
			return Measured.failed(
					CandidateMeasurement.failed(candidate.settings(), null, "cannot be created: " + ex.getMessage()));
		}
		try {
			WarmupResult warmup = this.warmer.warmUp(new ModelWarmupTarget(model, loaded, left(model, deadline)));
			double warmupMillis = millis(warmup.duration().toNanos());
			if (!warmup.succeeded()) {
				loaded.closeQuietly();
				return Measured.failed(CandidateMeasurement.failed(candidate.settings(), warmupMillis,
						reason(model, deadline, warmup.error())));
			}
			TimedRuns runs = this.warmer.timeRuns(new ModelWarmupTarget(model, loaded, left(model, deadline)),
					model.definition().tuning().runs(), this.ticker);
			if (runs.error() != null) {
				loaded.closeQuietly();
				return Measured.failed(CandidateMeasurement.failed(candidate.settings(), warmupMillis,
						reason(model, deadline, runs.error())));
			}
			List<SampleMeasurement> samples = new ArrayList<>();
			for (int s = 0; s < runs.samples().size(); s++) {
				ShapeTimings warmed = warmup.samples().get(s);
				double[] millis = runs.samples().get(s).stream().mapToDouble((d) -> millis(d.toNanos())).toArray();
				samples.add(new SampleMeasurement(warmed.shape().dimensions(), millis(warmed.first().toNanos()),
						Percentiles.of(millis, 50), Percentiles.of(millis, 90)));
			}
			return new Measured(CandidateMeasurement.measured(candidate.settings(), samples, warmupMillis), loaded,
					warmup);
		}
		catch (RuntimeException ex) {
			loaded.closeQuietly();
			return Measured
				.failed(CandidateMeasurement.failed(candidate.settings(), null, String.valueOf(ex.getMessage())));
		}
	}

	// what is left of the model's warmup timeout, for one step of one candidate
	private static WarmupSettings left(ManagedModel model, long deadline) {
		long left = Math.max(1, deadline - System.nanoTime());
		return model.definition().warmup().withTimeout(Duration.ofNanos(left));
	}

	private static @Nullable String reason(ManagedModel model, long deadline, @Nullable String error) {
		if (!model.isClosing() && System.nanoTime() - deadline >= 0) {
			return "stopped: the warmup timeout of " + model.definition().warmup().timeout() + " ran out";
		}
		return error;
	}

	private static void closeLosers(Map<Integer, LoadedSession> open, List<CandidateMeasurement> measurements,
			double best) {
		open.entrySet().removeIf((entry) -> {
			if (TuningChoice.couldWin(measurements.get(entry.getKey()), best)) {
				return false;
			}
			entry.getValue().closeQuietly();
			return true;
		});
	}

	private static void remember(ManagedModel model, TuningJob job, LoadedSession winner, int chosen,
			List<CandidateMeasurement> measurements) {
		if (job.cache() == null || job.key() == null) {
			return;
		}
		List<Double> sums = measurements.stream()
			.map((measurement) -> (measurement.sumP50Millis() != null) ? measurement.sumP50Millis() : Double.NaN)
			.toList();
		try {
			job.cache()
				.store(job.key(), new TuningEntry(chosen, winner.provider().active().name(), Instant.now(), sums));
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("ONNX model '" + model.name() + "': the tuning choice could not be stored in "
					+ job.cache().directory() + " (" + ex.getMessage() + "); the next start tunes again");
		}
	}

	private static void log(ManagedModel model, List<CandidateMeasurement> measurements, int chosen,
			double tuningMillis) {
		CandidateMeasurement winner = measurements.get(chosen);
		double margin = TuningChoice.margin(measurements, chosen);
		String comparison;
		if (Double.isNaN(margin)) {
			comparison = "the only candidate measured";
		}
		else if (margin < 0) {
			comparison = String.format(Locale.ROOT,
					"%.1f%% slower than the fastest, within the %.0f%% tie margin and listed first", -margin * 100,
					TuningChoice.TIE_MARGIN * 100);
		}
		else {
			comparison = String.format(Locale.ROOT, "%.1f%% faster than the next", margin * 100);
		}
		logger.info(String.format(Locale.ROOT,
				"ONNX model '%s' tuned in %.0f ms: candidate %d %s chosen, sum of p50 %.3f ms, %s", model.name(),
				tuningMillis, chosen, winner.settings(), winner.sumP50Millis(), comparison));
	}

	private static String errors(List<CandidateMeasurement> measurements) {
		List<String> errors = new ArrayList<>();
		for (int i = 0; i < measurements.size(); i++) {
			errors.add("candidate " + i + " " + measurements.get(i).settings() + ": " + measurements.get(i).error());
		}
		return String.join("; ", errors);
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

	/**
	 * A candidate's measurement, with its open session and warmup when it was measured.
	 */
	private record Measured(CandidateMeasurement measurement, @Nullable LoadedSession session,
			@Nullable WarmupResult warmup) {

		static Measured failed(CandidateMeasurement measurement) {
			return new Measured(measurement, null, null);
		}

	}

}
