package io.github.onnxgpu.boot.warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.RunOptions;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.OnnxModel;

/**
 * Warms one model up: runs every sample of its plan the configured number of times,
 * timing each run, and stops the run in flight when the timeout passes.
 *
 * @since 0.1.0
 */
public class ModelWarmer {

	private final OrtEnvironment environment;

	private final ScheduledExecutorService timer;

	public ModelWarmer(OrtEnvironment environment, ScheduledExecutorService timer) {
		this.environment = environment;
		this.timer = timer;
	}

	/**
	 * Warm a model up and record the result on it.
	 * @param model the model
	 * @return the result
	 */
	public WarmupResult warmUp(OnnxModel model) {
		WarmupSettings settings = model.definition().warmup();
		Instant startedAt = Instant.now();
		List<ShapeTimings> samples = new ArrayList<>();
		AtomicBoolean timedOut = new AtomicBoolean();
		String error = null;
		RunOptions runOptions = null;
		try {
			runOptions = new RunOptions();
			model.warmupStarted(runOptions);
			ScheduledFuture<?> deadline = this.timer.schedule(() -> {
				timedOut.set(true);
				model.terminateWarmup();
			}, settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
			try {
				for (ResolvedShape sample : model.warmupPlan().samples()) {
					error = runSample(model, sample, settings, runOptions, samples, timedOut);
					if (error != null) {
						break;
					}
				}
			}
			finally {
				deadline.cancel(false);
			}
		}
		catch (OrtException ex) {
			error = "warmup cannot start: " + ex.getMessage();
		}
		finally {
			// first out of reach of terminateWarmup() on the shutdown or timer thread,
			// then freed
			model.warmupEnded();
			if (runOptions != null) {
				runOptions.close();
			}
		}
		WarmupResult result = new WarmupResult(startedAt, Instant.now(), samples, error);
		model.warmupFinished(result);
		return result;
	}

	private @Nullable String runSample(OnnxModel model, ResolvedShape sample, WarmupSettings settings,
			RunOptions runOptions, List<ShapeTimings> samples, AtomicBoolean timedOut) {
		List<Duration> iterations = new ArrayList<>();
		try (WarmupTensors tensors = WarmupTensors.create(this.environment, model.inputs(), sample, settings.data())) {
			for (int i = 0; i < settings.iterations(); i++) {
				long start = System.nanoTime();
				model.call((session) -> {
					try (Result result = session.run(tensors.tensors(), runOptions)) {
						return result.size();
					}
				});
				iterations.add(Duration.ofNanos(System.nanoTime() - start));
			}
			return null;
		}
		catch (OrtException | RuntimeException ex) {
			String cause = model.isClosing() ? "stopped by shutdown"
					: timedOut.get() ? "timed out after " + settings.timeout() : ex.getMessage();
			return "sample " + sample.index() + " " + sample + " failed: " + cause;
		}
		finally {
			samples.add(new ShapeTimings(sample, iterations));
		}
	}

}
