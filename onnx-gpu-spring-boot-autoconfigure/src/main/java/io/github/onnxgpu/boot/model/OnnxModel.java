package io.github.onnxgpu.boot.model;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.RunOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.provider.ProviderChoice;
import io.github.onnxgpu.boot.provider.TensorrtSetup;
import io.github.onnxgpu.boot.warmup.WarmupPlan;
import io.github.onnxgpu.boot.warmup.WarmupResult;

/**
 * A loaded model: its session, the provider it really runs on, its warmup plan and state.
 * Runs through {@link #call} are counted so that the session is never closed while one is
 * in flight, which would crash the JVM inside ONNX Runtime.
 *
 * @since 0.1.0
 */
public final class OnnxModel {

	private static final Log logger = LogFactory.getLog(OnnxModel.class);

	private final ModelDefinition definition;

	private final OrtSession session;

	private final ProviderChoice provider;

	private final Timings timings;

	private final WarmupPlan warmupPlan;

	private final @Nullable TensorrtSetup tensorrt;

	private final Map<String, NodeInfo> inputs;

	private final Map<String, NodeInfo> outputs;

	private final OutputShapes outputShapes = new OutputShapes();

	// many runs share the read side; close takes the write side
	private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();

	private volatile boolean closing;

	private volatile boolean closed;

	private volatile ModelStatus status;

	private volatile @Nullable WarmupResult warmupResult;

	private final Object warmupMonitor = new Object();

	private @Nullable RunOptions warmupRun;

	OnnxModel(ModelDefinition definition, OrtSession session, ProviderChoice provider, Timings timings,
			WarmupPlan warmupPlan, @Nullable TensorrtSetup tensorrt) throws OrtException {
		this.definition = definition;
		this.session = session;
		this.provider = provider;
		this.timings = timings;
		this.warmupPlan = warmupPlan;
		this.tensorrt = tensorrt;
		this.inputs = session.getInputInfo();
		this.outputs = session.getOutputInfo();
		this.status = warmupPlan.samples().isEmpty() ? ModelStatus.NOT_WARMED : ModelStatus.LOADING;
	}

	/**
	 * How long loading took.
	 *
	 * @param providerSetup choosing and adding the execution provider
	 * @param sessionCreation creating the session, provider set-up included
	 */
	record Timings(Duration providerSetup, Duration sessionCreation) {
	}

	/**
	 * A unit of work on the session.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	public interface SessionCall<T> {

		T call(OrtSession session) throws OrtException;

	}

	/**
	 * Run work on the session, holding off {@link #close} until it returns.
	 * @param <T> the result type
	 * @param work the work
	 * @return what the work returned
	 * @throws OrtException when ONNX Runtime fails
	 * @throws IllegalStateException when the model is closed or closing
	 */
	public <T> T call(SessionCall<T> work) throws OrtException {
		Lock lock = this.inFlight.readLock();
		lock.lock();
		try {
			// new runs are refused once closing begins, so that closing does not wait for
			// them
			if (this.closing || this.closed) {
				throw new IllegalStateException("ONNX model '" + name() + "' is closed");
			}
			return work.call(this.session);
		}
		finally {
			lock.unlock();
		}
	}

	public String name() {
		return this.definition.name();
	}

	public ModelDefinition definition() {
		return this.definition;
	}

	/**
	 * The session. Runs on it directly are not counted by {@link #close}: on shutdown,
	 * rely on the web server's graceful shutdown to finish requests first.
	 * @return the session
	 */
	public OrtSession session() {
		return this.session;
	}

	public ProviderChoice provider() {
		return this.provider;
	}

	/**
	 * Time to create the session, provider set-up included.
	 * @return the duration
	 */
	public Duration sessionCreation() {
		return this.timings.sessionCreation();
	}

	/**
	 * Time spent choosing and adding the execution provider: the CUDA attempt, its
	 * library loading, or the driver probe.
	 * @return the duration
	 */
	public Duration providerSetup() {
		return this.timings.providerSetup();
	}

	/**
	 * The TensorRT options sent and the engine cache, when the model runs on TensorRT.
	 * @return the TensorRT set-up, {@code null} when TensorRT is not in use
	 */
	public @Nullable TensorrtSetup tensorrt() {
		return this.tensorrt;
	}

	public WarmupPlan warmupPlan() {
		return this.warmupPlan;
	}

	public Map<String, NodeInfo> inputs() {
		return this.inputs;
	}

	public Map<String, NodeInfo> outputs() {
		return this.outputs;
	}

	/**
	 * The output shapes recorded by warmup runs, by input shapes.
	 * @return the recorded shapes
	 */
	public OutputShapes outputShapes() {
		return this.outputShapes;
	}

	public ModelStatus status() {
		return this.status;
	}

	/**
	 * The last warmup's result.
	 * @return the result, {@code null} before the warmup has finished
	 */
	public @Nullable WarmupResult warmupResult() {
		return this.warmupResult;
	}

	/**
	 * Record that the warmup starts, with the run options that can stop it. The warmup
	 * must call {@link #warmupEnded()} before it closes them.
	 * @param runOptions the warmup's run options
	 */
	public void warmupStarted(RunOptions runOptions) {
		synchronized (this.warmupMonitor) {
			this.warmupRun = runOptions;
		}
		this.status = ModelStatus.WARMING;
	}

	/**
	 * Record that the warmup no longer runs, so that its run options may be closed: once
	 * this returns, {@link #terminateWarmup()} no longer touches them.
	 */
	public void warmupEnded() {
		synchronized (this.warmupMonitor) {
			this.warmupRun = null;
		}
	}

	/**
	 * Record the warmup's outcome.
	 * @param result the result
	 */
	public void warmupFinished(WarmupResult result) {
		warmupEnded();
		this.warmupResult = result;
		this.status = result.succeeded() ? ModelStatus.READY : ModelStatus.FAILED;
	}

	/**
	 * Ask a running warmup to stop at its next chance.
	 */
	public void terminateWarmup() {
		// under the monitor: the warmup thread closes its run options only after
		// warmupEnded(), so they are never used here once freed
		synchronized (this.warmupMonitor) {
			RunOptions run = this.warmupRun;
			if (run != null) {
				try {
					run.setTerminate(true);
				}
				catch (OrtException | IllegalStateException ex) {
					// nothing left to stop
				}
			}
		}
	}

	/**
	 * Begin closing: refuse new runs and stop a running warmup. Closing every model this
	 * way first makes every warmup see the shutdown, not a failure.
	 */
	void beginClosing() {
		this.closing = true;
		terminateWarmup();
	}

	/**
	 * Whether the session is closing or closed, as at shutdown.
	 * @return whether closing has begun
	 */
	public boolean isClosing() {
		return this.closing;
	}

	/**
	 * Whether the session is closed.
	 * @return whether it is closed
	 */
	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Close the session once no run through {@link #call} is in flight. A warmup still
	 * running is stopped first. When runs do not finish in time the session is left open
	 * (a leak) rather than closed under them (a crash).
	 * @param wait how long to wait for runs in flight
	 */
	void close(Duration wait) {
		beginClosing();
		Lock lock = this.inFlight.writeLock();
		boolean locked = false;
		try {
			locked = lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!locked) {
			logger.warn("ONNX model '" + name() + "' still has runs in flight after " + wait
					+ "; its session is left open rather than closed under them");
			return;
		}
		try {
			if (!this.closed) {
				this.closed = true;
				this.session.close();
			}
		}
		catch (OrtException ex) {
			logger.warn("ONNX model '" + name() + "' could not be closed", ex);
		}
		finally {
			lock.unlock();
		}
	}

}
