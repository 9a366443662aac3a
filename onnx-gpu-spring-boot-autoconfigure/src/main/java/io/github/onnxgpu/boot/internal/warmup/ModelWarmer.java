package io.github.onnxgpu.boot.internal.warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.RunOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Warms one model up: runs every sample of its plan at least the configured number of
 * times and on until its runs are steady (see {@link SteadyState}), timing each run, and
 * stops the run in flight when the timeout passes.
 */
public class ModelWarmer {

	private static final Log logger = LogFactory.getLog(ModelWarmer.class);

	private final OrtEnvironment environment;

	private final ScheduledExecutorService timer;

	public ModelWarmer(OrtEnvironment environment, ScheduledExecutorService timer) {
		this.environment = environment;
		this.timer = timer;
	}

	/**
	 * Warm a model up.
	 * @param model the model
	 * @return the result
	 */
	public WarmupResult warmUp(WarmupTarget model) {
		WarmupSettings settings = model.settings();
		Instant startedAt = Instant.now();
		List<ShapeTimings> samples = new ArrayList<>();
		String error = stoppable(model, "warmup", (runOptions, timedOut) -> {
			for (ResolvedShape sample : model.plan().samples()) {
				String failure = runSample(model, sample, settings, runOptions, samples, timedOut);
				if (failure != null) {
					return failure;
				}
			}
			return null;
		});
		return new WarmupResult(startedAt, Instant.now(), samples, error);
	}

	/**
	 * Time runs of a model that is warm, each sample of its plan in turn, stopping the
	 * run in flight when the warmup timeout of its settings passes.
	 * @param model the model
	 * @param runs how many runs per sample
	 * @param ticker the clock the runs are timed with, in nanoseconds
	 * @return the timings
	 */
	public TimedRuns timeRuns(WarmupTarget model, int runs, LongSupplier ticker) {
		List<List<Duration>> samples = new ArrayList<>();
		String error = stoppable(model, "timed runs", (runOptions, timedOut) -> {
			for (ResolvedShape sample : model.plan().samples()) {
				List<Duration> durations = new ArrayList<>();
				samples.add(durations);
				String failure = timeSample(model, sample, runs, ticker, runOptions, durations, timedOut);
				if (failure != null) {
					return failure;
				}
			}
			return null;
		});
		return new TimedRuns(samples, error);
	}

	/**
	 * Run work with run options that shutdown (through the model) and the warmup timeout
	 * can stop.
	 * @param model the model
	 * @param what what runs, for the message when it cannot start
	 * @param work the work, returning why it failed or {@code null}
	 * @return why the work failed, {@code null} when it did not
	 */
	private @Nullable String stoppable(WarmupTarget model, String what, StoppableWork work) {
		AtomicBoolean timedOut = new AtomicBoolean();
		RunOptions runOptions = null;
		try {
			runOptions = new RunOptions();
			// a failing run is reported once, by the starter's message with ONNX
			// Runtime's reason in it, not also by ONNX Runtime's own error lines
			runOptions.setLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
			model.started(runOptions);
			ScheduledFuture<?> deadline = this.timer.schedule(() -> {
				timedOut.set(true);
				model.terminate();
			}, model.settings().timeout().toNanos(), TimeUnit.NANOSECONDS);
			try {
				return work.run(runOptions, timedOut);
			}
			finally {
				deadline.cancel(false);
			}
		}
		catch (OrtException ex) {
			return what + " cannot start: " + ex.getMessage();
		}
		finally {
			// first out of reach of terminate() on the shutdown or timer thread, then
			// freed
			model.ended();
			if (runOptions != null) {
				runOptions.close();
			}
		}
	}

	private @Nullable String timeSample(WarmupTarget model, ResolvedShape sample, int runs, LongSupplier ticker,
			RunOptions runOptions, List<Duration> durations, AtomicBoolean timedOut) {
		WarmupSettings settings = model.settings();
		model.sampleInProgress(new SampleInProgress(sample, Instant.now()));
		try (WarmupTensors tensors = WarmupTensors.create(this.environment, model.inputs(), sample, settings.data(),
				model.plan().values())) {
			for (int i = 0; i < runs; i++) {
				long duration = model.call((session) -> {
					long start = ticker.getAsLong();
					try (Result result = session.run(tensors.tensors(), runOptions)) {
						return ticker.getAsLong() - start;
					}
				});
				durations.add(Duration.ofNanos(duration));
			}
			return null;
		}
		catch (OrtException | RuntimeException ex) {
			String cause = model.isClosing() ? "stopped by shutdown"
					: timedOut.get() ? "timed out after " + settings.timeout() : ex.getMessage();
			return "sample " + sample.index() + " " + sample + " failed: " + cause;
		}
		finally {
			model.sampleInProgress(null);
		}
	}

	private @Nullable String runSample(WarmupTarget model, ResolvedShape sample, WarmupSettings settings,
			RunOptions runOptions, List<ShapeTimings> samples, AtomicBoolean timedOut) {
		List<Duration> iterations = new ArrayList<>();
		SteadyState rule = settings.steadyState();
		if (logger.isInfoEnabled()) {
			// before anything is allocated: a sample that takes the process down is
			// named in the log
			logger.info(model.description() + " warming sample " + sample.index() + " " + sample + ", "
					+ WarmupPlan.describeSize(WarmupPlan.inputBytes(model.inputs(), sample)) + " of input");
		}
		model.sampleInProgress(new SampleInProgress(sample, Instant.now()));
		try (WarmupTensors tensors = WarmupTensors.create(this.environment, model.inputs(), sample, settings.data(),
				model.plan().values())) {
			while (rule.needsAnotherRun(iterations)) {
				if (timedOut.get() && iterations.size() >= rule.minimum()) {
					// the runs the user asked for are done; only the search for steady
					// state ran out of time
					return null;
				}
				long start = System.nanoTime();
				model.call((session) -> {
					try (Result result = session.run(tensors.tensors(), runOptions)) {
						// lets a binding at these input shapes pin every output
						model.recordOutputs(sample.dimensions(), result);
						return result.size();
					}
				});
				iterations.add(Duration.ofNanos(System.nanoTime() - start));
			}
			return null;
		}
		catch (OrtException | RuntimeException ex) {
			if (timedOut.get() && !model.isClosing() && iterations.size() >= rule.minimum()) {
				return null;
			}
			String cause = model.isClosing() ? "stopped by shutdown"
					: timedOut.get() ? "timed out after " + settings.timeout() : ex.getMessage();
			return "sample " + sample.index() + " " + sample + " failed: " + cause;
		}
		finally {
			model.sampleInProgress(null);
			samples.add(new ShapeTimings(sample, iterations, rule.isSteady(iterations)));
		}
	}

	/**
	 * Runs that shutdown and the timeout can stop.
	 */
	@FunctionalInterface
	private interface StoppableWork {

		@Nullable String run(RunOptions runOptions, AtomicBoolean timedOut) throws OrtException;

	}

}
