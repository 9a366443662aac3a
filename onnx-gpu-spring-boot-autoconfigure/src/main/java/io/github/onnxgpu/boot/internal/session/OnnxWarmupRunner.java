package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import ai.onnxruntime.OrtEnvironment;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.thread.OnnxThreads;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.internal.warmup.ModelWarmer;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.WarmupFailureAction;

/**
 * Warms every model up when the application is ready. It runs synchronously on the
 * {@link ApplicationReadyEvent}, which Spring Boot publishes just before it switches
 * readiness to accepting traffic, so the instance refuses traffic until the models are
 * warm. Models warm in parallel up to the configured parallelism. It lives beside
 * {@link ManagedModel} because it alone changes a model's warmup state; the runs
 * themselves are {@link ModelWarmer}'s.
 */
public class OnnxWarmupRunner implements ApplicationListener<ApplicationReadyEvent>, Ordered, DisposableBean {

	/**
	 * The order of this listener: before the warm-up requests, which need warm models,
	 * and before listeners that declare no order.
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private static final Log logger = LogFactory.getLog(OnnxWarmupRunner.class);

	// a stopped warmup ends with the run in flight, in milliseconds on the CPU
	private final Duration stopWait;

	private final ManagedModelRegistry registry;

	private final OrtEnvironment environment;

	private final int parallelism;

	private final Object monitor = new Object();

	private boolean warming;

	private boolean stopping;

	private final LongSupplier ticker;

	/**
	 * Create a runner.
	 * @param registry the models
	 * @param environment the environment
	 * @param parallelism how many models warm at once
	 * @param stopWait how long stopping waits for the warmup runs in flight
	 */
	public OnnxWarmupRunner(ManagedModelRegistry registry, OrtEnvironment environment, int parallelism,
			Duration stopWait) {
		this(registry, environment, parallelism, System::nanoTime, stopWait);
	}

	/**
	 * Create a runner whose tuning times runs with a given clock.
	 * @param registry the models
	 * @param environment the environment
	 * @param parallelism how many models warm at once
	 * @param ticker the clock of tuning's timed runs, in nanoseconds
	 */
	OnnxWarmupRunner(ManagedModelRegistry registry, OrtEnvironment environment, int parallelism, LongSupplier ticker) {
		this(registry, environment, parallelism, ticker, Duration.ofSeconds(30));
	}

	private OnnxWarmupRunner(ManagedModelRegistry registry, OrtEnvironment environment, int parallelism,
			LongSupplier ticker, Duration stopWait) {
		this.stopWait = stopWait;
		this.registry = registry;
		this.environment = environment;
		this.parallelism = Math.max(1, parallelism);
		this.ticker = ticker;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		warmUpAll();
	}

	/**
	 * Warm up every model that waits for it.
	 * @throws OnnxModelException when a model whose failure action is FAIL fails
	 */
	public void warmUpAll() {
		List<ManagedModel> pending = this.registry.models()
			.stream()
			.filter((model) -> model.status() == ModelStatus.LOADING)
			.toList();
		if (pending.isEmpty()) {
			return;
		}
		synchronized (this.monitor) {
			if (this.stopping) {
				return;
			}
			this.warming = true;
		}
		try {
			warmUp(pending);
		}
		finally {
			synchronized (this.monitor) {
				this.warming = false;
				this.monitor.notifyAll();
			}
		}
	}

	/**
	 * Stop a running warmup and wait until it has reported, so that its report is logged
	 * before the context (and the logging system) shuts down, and before the sessions
	 * close.
	 */
	@Override
	public void destroy() {
		synchronized (this.monitor) {
			this.stopping = true;
			if (!this.warming) {
				// the registry closes the models when its turn comes, after beans using
				// them
				return;
			}
		}
		this.registry.beginClose();
		long deadline = System.nanoTime() + this.stopWait.toNanos();
		synchronized (this.monitor) {
			long left = this.stopWait.toNanos();
			while (this.warming && left > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				left = deadline - System.nanoTime();
			}
		}
	}

	private void warmUp(List<ManagedModel> pending) {
		ExecutorService workers = Executors.newFixedThreadPool(Math.min(this.parallelism, pending.size()),
				OnnxThreads.factory("onnx-warmup-"));
		ScheduledExecutorService timer = Executors
			.newSingleThreadScheduledExecutor(OnnxThreads.factory("onnx-warmup-timer-"));
		try {
			ModelWarmer warmer = new ModelWarmer(this.environment, timer);
			List<Future<WarmupResult>> results = new ArrayList<>();
			for (ManagedModel model : pending) {
				results.add(workers.submit(() -> warmUp(warmer, model)));
			}
			List<String> stoppedByShutdown = new ArrayList<>();
			for (int i = 0; i < pending.size(); i++) {
				ManagedModel model = pending.get(i);
				WarmupResult result = await(results.get(i));
				if (!result.succeeded() && model.isClosing()) {
					// the application is stopping: not a start-up failure to report
					stoppedByShutdown.add(model.name());
				}
				else {
					handle(model, result);
				}
			}
			if (!stoppedByShutdown.isEmpty()) {
				logger.info("Warmup of ONNX models " + stoppedByShutdown + " stopped by shutdown");
			}
		}
		finally {
			workers.shutdownNow();
			timer.shutdownNow();
		}
	}

	private WarmupResult warmUp(ModelWarmer warmer, ManagedModel model) {
		return warmUp(warmer, model, this.ticker);
	}

	/**
	 * Warm up (and tune, where tuning is on) every instance of a model, recording the
	 * outcome on the model, as at start-up: a reload warms its new version this way.
	 * @param warmer the warmer
	 * @param model the model
	 * @param ticker the clock of tuning's timed runs
	 * @return the result
	 */
	static WarmupResult warmUp(ModelWarmer warmer, ManagedModel model, LongSupplier ticker) {
		TuningJob tuning = model.tuningState().job();
		// tuning warms every candidate, the winner included
		WarmupResult result = (tuning != null) ? new ModelTuner(warmer, ticker).tune(model, tuning)
				: warmer.warmUp(new ModelWarmupTarget(model, 0));
		// every instance is warmed, each at every sample: a cold one would serve a slow
		// first run to whoever the least-busy choice sends there
		for (int i = 1; i < model.instanceCount() && result.succeeded(); i++) {
			WarmupResult instance = warmer.warmUp(new ModelWarmupTarget(model, i));
			result = new WarmupResult(result.startedAt(), instance.finishedAt(), result.samples(),
					(instance.error() != null) ? "instance " + i + ": " + instance.error() : null);
		}
		model.warmupState().finished(result);
		return result;
	}

	private void handle(ManagedModel model, WarmupResult result) {
		if (result.succeeded()) {
			logger.info("ONNX model '" + model.name() + "' warmed up on " + model.provider().active() + " in "
					+ result.duration().toMillis() + " ms");
			return;
		}
		String onFailure = OnnxModelException.modelProperty(model.name(), "warmup.on-failure");
		if (model.definition().warmup().onFailure() == WarmupFailureAction.FAIL) {
			if (model.tuningReport().status() == TuningStatus.FAILED) {
				throw new OnnxModelException(model.name(),
						OnnxModelException.modelProperty(model.name(), "tuning.candidates"),
						"warmup failed: " + result.error(),
						"fix or remove the failing candidates (each one's reason is above), raise "
								+ OnnxModelException.modelProperty(model.name(), "warmup.timeout") + ", or set "
								+ onFailure + "=mark-down to start with the model marked down");
			}
			throw new OnnxModelException(model.name(), OnnxModelException.modelProperty(model.name(), "warmup.shapes"),
					"warmup failed: " + result.error(), "fix the warmup shapes or the model, raise the timeout, or set "
							+ onFailure + "=mark-down to start with the model marked down");
		}
		logger.warn("ONNX model '" + model.name() + "' is marked down: warmup failed: " + result.error());
	}

	private static WarmupResult await(Future<WarmupResult> result) {
		try {
			return result.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while warming up ONNX models", ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("ONNX warmup failed unexpectedly", ex.getCause());
		}
	}

}
