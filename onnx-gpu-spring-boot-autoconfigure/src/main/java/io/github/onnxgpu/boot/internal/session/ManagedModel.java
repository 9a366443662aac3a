package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.RunOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.batching.BatchLayout;
import io.github.onnxgpu.boot.internal.batching.Batcher;
import io.github.onnxgpu.boot.internal.provider.ProviderChoice;
import io.github.onnxgpu.boot.internal.provider.TensorrtSetup;
import io.github.onnxgpu.boot.internal.tuning.TuningReport;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;
import io.github.onnxgpu.boot.internal.warmup.SampleInProgress;
import io.github.onnxgpu.boot.internal.warmup.WarmupPlan;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OnnxModel;

/**
 * A loaded model: its session, the provider it really runs on, its warmup plan and state.
 * Runs through {@link #call} are counted so that the session is never closed while one is
 * in flight, which would crash the JVM inside ONNX Runtime.
 */
public final class ManagedModel implements OnnxModel {

	private static final Log logger = LogFactory.getLog(ManagedModel.class);

	// the sessions serving the model, the first one loaded first; swapped as a whole
	// when tuning picks another candidate than the one loaded
	private volatile List<Instance> instances;

	// where the search for the least busy instance starts, so that ties rotate
	private final AtomicInteger nextInstance = new AtomicInteger();

	// made once: a run through call allocates nothing of the starter's
	private final Supplier<Instance> leastBusy = this::leastBusy;

	private volatile @Nullable Batcher batcher;

	// the batch layout of a model staged for a reload, whose batcher is not started: the
	// running model's batcher serves it once swapped in
	private volatile @Nullable BatchLayout stagedLayout;

	private volatile WarmupPlan warmupPlan;

	// the definition as configured, before tuning or instances changed it: what a reload
	// loads again
	private volatile @Nullable ModelDefinition configured;

	private volatile ModelVersion version;

	// bumped by every reload swapped in, so that binding pools made for the version
	// before are dropped
	private final AtomicLong generation = new AtomicLong();

	private final ReloadHistory reloads = new ReloadHistory();

	// dropped once tuning has run: it may hold the bytes of a model read from a jar
	private volatile @Nullable TuningJob tuningJob;

	private volatile TuningReport tuningReport;

	private volatile Map<String, NodeInfo> inputs;

	private volatile Map<String, NodeInfo> outputs;

	private volatile OutputShapes outputShapes = new OutputShapes();

	// many runs share the read side; close takes the write side
	private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();

	private volatile boolean closing;

	private volatile boolean closed;

	private volatile ModelStatus status;

	private volatile @Nullable WarmupResult warmupResult;

	private volatile @Nullable SampleInProgress sampleInProgress;

	private final Object warmupMonitor = new Object();

	private @Nullable RunOptions warmupRun;

	ManagedModel(LoadedSession loaded, WarmupPlan warmupPlan, @Nullable TuningJob tuningJob, TuningReport tuningReport)
			throws OrtException {
		this.instances = List.of(new Instance(loaded, 0));
		this.warmupPlan = warmupPlan;
		this.tuningJob = tuningJob;
		this.tuningReport = tuningReport;
		this.inputs = loaded.session().getInputInfo();
		this.outputs = loaded.session().getOutputInfo();
		this.status = (warmupPlan.samples().isEmpty() && tuningJob == null) ? ModelStatus.NOT_WARMED
				: ModelStatus.LOADING;
		this.version = new ModelVersion(null, Instant.now(), loaded.definition().describeLocation());
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
		return runOn(this.leastBusy, work);
	}

	/**
	 * Run work on one instance's session, holding off {@link #close} until it returns, as
	 * the warmup of each instance does.
	 * @param <T> the result type
	 * @param index the instance
	 * @param work the work
	 * @return what the work returned
	 * @throws OrtException when ONNX Runtime fails
	 * @throws IllegalStateException when the model is closed or closing
	 */
	<T> T callOn(int index, SessionCall<T> work) throws OrtException {
		return runOn(() -> this.instances.get(index), work);
	}

	private <T> T runOn(Supplier<Instance> choice, SessionCall<T> work) throws OrtException {
		Lock lock = this.inFlight.readLock();
		lock.lock();
		try {
			// new runs are refused once closing begins, so that closing does not wait for
			// them
			if (this.closing || this.closed) {
				throw new IllegalStateException("ONNX model '" + name() + "' is closed");
			}
			while (true) {
				Instance instance = choice.get();
				if (instance.enter()) {
					return instance.runEntered(work);
				}
				// retired by a reload between the choice and the entry: the list is new
			}
		}
		finally {
			lock.unlock();
		}
	}

	private Instance leastBusy() {
		List<Instance> all = this.instances;
		int size = all.size();
		if (size == 1) {
			return all.get(0);
		}
		int start = Math.floorMod(this.nextInstance.getAndIncrement(), size);
		Instance best = all.get(start);
		for (int i = 1; i < size && best.inFlight.get() > 0; i++) {
			Instance candidate = all.get((start + i) % size);
			if (candidate.inFlight.get() < best.inFlight.get()) {
				best = candidate;
			}
		}
		return best;
	}

	/**
	 * The instances serving the model, for display.
	 * @return each instance's provider and counts
	 */
	public List<InstanceState> instances() {
		List<InstanceState> states = new ArrayList<>();
		for (Instance instance : this.instances) {
			LoadedSession loaded = instance.loaded;
			states.add(new InstanceState(instance.index, loaded.provider().active(),
					(loaded.provider().active() == OrtProvider.CPU) ? null : loaded.definition().cuda().deviceId(),
					instance.runs.sum(), instance.inFlight.get()));
		}
		return states;
	}

	/**
	 * How many instances serve the model.
	 * @return the count
	 */
	public int instanceCount() {
		return this.instances.size();
	}

	/**
	 * The model's batcher.
	 * @return the batcher, {@code null} when the model's runs are not batched
	 */
	public @Nullable Batcher batcher() {
		return this.batcher;
	}

	void batcher(Batcher batcher) {
		this.batcher = batcher;
	}

	/**
	 * Add instances, opened with the settings of the one serving the model now.
	 * @param added the new instances' sessions
	 */
	void addInstances(List<LoadedSession> added) {
		Lock lock = this.inFlight.writeLock();
		lock.lock();
		try {
			if (this.closing || this.closed) {
				added.forEach(LoadedSession::closeQuietly);
				throw new IllegalStateException("ONNX model '" + name() + "' is closed");
			}
			List<Instance> all = new ArrayList<>(this.instances);
			for (LoadedSession loaded : added) {
				all.add(new Instance(loaded, all.size()));
			}
			this.instances = List.copyOf(all);
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * One instance's provider, device and counts.
	 *
	 * @param index the instance's position
	 * @param provider the provider that runs it
	 * @param deviceId its CUDA device, {@code null} on the CPU
	 * @param runs the runs it served through {@link #call}
	 * @param inFlight the runs on it now
	 */
	public record InstanceState(int index, OrtProvider provider, @Nullable Integer deviceId, long runs, int inFlight) {

	}

	// one session serving the model, with its runs in flight. Once retired (replaced by
	// a reload or by tuning) it takes no new run, and its session is closed by whoever
	// sees it retired with no run left: the retiring thread, or the last run to return.
	// A run counts itself in before it checks the retirement, and retirement is set
	// before the count is read, so one of the two always sees the other.
	private static final class Instance {

		private final LoadedSession loaded;

		private final int index;

		private final AtomicInteger inFlight = new AtomicInteger();

		private final LongAdder runs = new LongAdder();

		private volatile boolean retired;

		private final AtomicBoolean sessionClosed = new AtomicBoolean();

		Instance(LoadedSession loaded, int index) {
			this.loaded = loaded;
			this.index = index;
		}

		boolean enter() {
			this.inFlight.incrementAndGet();
			if (this.retired) {
				leave();
				return false;
			}
			return true;
		}

		<T> T runEntered(SessionCall<T> work) throws OrtException {
			try {
				return work.call(this.loaded.session());
			}
			finally {
				this.runs.increment();
				leave();
			}
		}

		private void leave() {
			if (this.inFlight.decrementAndGet() == 0 && this.retired) {
				closeSession();
			}
		}

		void retire() {
			this.retired = true;
			if (this.inFlight.get() == 0) {
				closeSession();
			}
		}

		// true when the session is closed now, false when a run still holds it
		boolean isSessionClosed() {
			return this.sessionClosed.get();
		}

		private void closeSession() {
			if (this.sessionClosed.compareAndSet(false, true)) {
				this.loaded.closeQuietly();
			}
		}

		void closeAtShutdown(String model) {
			if (!this.sessionClosed.compareAndSet(false, true)) {
				return;
			}
			try {
				this.loaded.session().close();
			}
			catch (IllegalStateException ex) {
				// closed already by code that was handed the raw session
			}
			catch (OrtException | RuntimeException ex) {
				logger.warn("ONNX model '" + model + "': instance " + this.index + " could not be closed", ex);
			}
		}

	}

	@Override
	public String name() {
		return current().definition().name();
	}

	/**
	 * The model's definition, with the settings of the tuning candidate that serves it
	 * once tuning has chosen one.
	 * @return the definition in force
	 */
	public ModelDefinition definition() {
		return current().definition();
	}

	/**
	 * The session. Runs on it directly are not counted by {@link #close}: on shutdown,
	 * rely on the web server's graceful shutdown to finish requests first. A model tuned
	 * at start-up is served by another session once tuning has chosen (the one it was
	 * loaded with is closed then): keep the session only once the model is warm, or use
	 * {@link #call}.
	 * @return the session
	 */
	public OrtSession session() {
		return current().session();
	}

	/**
	 * The session to hand out as the model's {@code OrtSession} bean: a proxy that always
	 * calls the session in force (tuning, instances and reloads change it), each call
	 * counted as a run in flight, so that no session is closed under it.
	 * @return the session for injection
	 */
	public OrtSession sessionBean() {
		return SwappableSessionProxy.of(this);
	}

	public ProviderChoice provider() {
		return current().provider();
	}

	@Override
	public OrtProvider activeProvider() {
		return provider().active();
	}

	@Override
	public List<Map<String, long[]>> warmupShapes() {
		List<Map<String, long[]>> shapes = new ArrayList<>();
		for (ResolvedShape sample : this.warmupPlan.samples()) {
			Map<String, long[]> dimensions = new LinkedHashMap<>();
			sample.dimensions().forEach((input, dims) -> dimensions.put(input, dims.clone()));
			shapes.add(dimensions);
		}
		return shapes;
	}

	/**
	 * Time to create the session, provider set-up included.
	 * @return the duration
	 */
	public Duration sessionCreation() {
		return current().sessionCreation();
	}

	/**
	 * Time spent choosing and adding the execution provider: the CUDA attempt, its
	 * library loading, or the driver probe.
	 * @return the duration
	 */
	public Duration providerSetup() {
		return current().providerSetup();
	}

	/**
	 * The TensorRT options sent and the engine cache. When TensorRT is enabled but the
	 * model does not run on it ({@link #provider()} says why), the options that were sent
	 * or would have been: the derived profile and cache paths, not in force.
	 * @return the TensorRT set-up, {@code null} when TensorRT is not enabled
	 */
	public @Nullable TensorrtSetup tensorrt() {
		return current().tensorrt();
	}

	/**
	 * What tuning found and chose.
	 * @return the report, {@link TuningStatus#DISABLED} when the model is not tuned
	 */
	public TuningReport tuningReport() {
		return this.tuningReport;
	}

	/**
	 * The tuning still to run at warmup.
	 * @return the job, {@code null} when the model is not tuned at this start
	 */
	@Nullable TuningJob tuningJob() {
		return this.tuningJob;
	}

	void tuningFinished(TuningReport report) {
		this.tuningReport = report;
		releaseTuningJob();
	}

	// the job's source may be a downloaded model's temporary file
	private void releaseTuningJob() {
		TuningJob job = this.tuningJob;
		this.tuningJob = null;
		if (job != null) {
			job.source().release();
		}
	}

	/**
	 * Serve the model with another session, as when tuning chose another candidate than
	 * the one loaded. Runs through {@link #call} in flight finish on the old session
	 * first; it is closed once none is left.
	 * @param next the session that serves the model from now on
	 */
	void swap(LoadedSession next) {
		replaceInstances(List.of(new Instance(next, 0)));
	}

	// under the read lock, so that close() does not run meanwhile; new runs go to the
	// new instances at once, runs in flight finish on the old ones, each closed when its
	// last run returns
	private List<Instance> replaceInstances(List<Instance> next) {
		List<Instance> previous;
		Lock lock = this.inFlight.readLock();
		lock.lock();
		try {
			if (this.closing || this.closed) {
				throw new IllegalStateException("ONNX model '" + name() + "' is closed");
			}
			previous = this.instances;
			this.instances = next;
		}
		finally {
			lock.unlock();
		}
		for (Instance instance : previous) {
			if (next.stream().noneMatch((kept) -> kept.loaded == instance.loaded)) {
				instance.retire();
			}
		}
		return previous;
	}

	/**
	 * Serve the model with the sessions of a model staged by a reload, built, checked and
	 * warmed beside this one: new runs (batched ones and bindings included) go to them at
	 * once, runs in flight finish on the old sessions, each closed when its last run
	 * returns. The staged model hands its sessions over and must not be closed.
	 * @param staged the new version
	 * @return whether every old session is already closed (none had a run in flight)
	 * @throws IllegalStateException when this model is closing
	 */
	boolean adopt(ManagedModel staged) {
		List<Instance> next = new ArrayList<>();
		for (Instance instance : staged.instances) {
			next.add(new Instance(instance.loaded, instance.index));
		}
		// what runs and bindings read about the model first, then the sessions
		this.inputs = staged.inputs;
		this.outputs = staged.outputs;
		this.outputShapes = staged.outputShapes;
		this.warmupPlan = staged.warmupPlan;
		List<Instance> previous = replaceInstances(List.copyOf(next));
		// its sessions are this model's now: closing it must leave them open
		staged.closed = true;
		this.tuningReport = staged.tuningReport;
		this.warmupResult = staged.warmupResult;
		this.version = staged.version;
		this.status = staged.status;
		this.generation.incrementAndGet();
		return previous.stream().allMatch(Instance::isSessionClosed);
	}

	/**
	 * Which reload of the model serves it: 0 for the version loaded at start-up.
	 * @return the count of reloads swapped in
	 */
	public long generation() {
		return this.generation.get();
	}

	/**
	 * The version that serves the model.
	 * @return its checksum, when and from where it was loaded
	 */
	public ModelVersion version() {
		return this.version;
	}

	void version(ModelVersion version) {
		this.version = version;
	}

	/**
	 * The reloads of the model so far.
	 * @return the history
	 */
	public ReloadHistory reloads() {
		return this.reloads;
	}

	/**
	 * The definition as configured, which a reload loads again.
	 * @return the definition, before tuning or instances changed its settings
	 */
	ModelDefinition configuredDefinition() {
		ModelDefinition definition = this.configured;
		return (definition != null) ? definition : definition();
	}

	void configuredDefinition(ModelDefinition definition) {
		this.configured = definition;
	}

	/**
	 * The batch layout of a model staged for a reload.
	 * @return the layout, {@code null} when the model is not batched
	 */
	@Nullable BatchLayout stagedLayout() {
		Batcher running = this.batcher;
		return (running != null) ? running.layout() : this.stagedLayout;
	}

	void stagedLayout(BatchLayout layout) {
		this.stagedLayout = layout;
	}

	private LoadedSession current() {
		return this.instances.get(0).loaded;
	}

	public WarmupPlan warmupPlan() {
		return this.warmupPlan;
	}

	@Override
	public Map<String, NodeInfo> inputs() {
		return this.inputs;
	}

	@Override
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

	@Override
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
	 * must call {@link #warmupEnded()} before it closes them. Only the warmup, driven
	 * from this package, changes the warmup state.
	 * @param runOptions the warmup's run options
	 */
	void warmupStarted(RunOptions runOptions) {
		synchronized (this.warmupMonitor) {
			this.warmupRun = runOptions;
		}
		this.status = ModelStatus.WARMING;
	}

	/**
	 * Record that the warmup no longer runs, so that its run options may be closed: once
	 * this returns, {@link #terminateWarmup()} no longer touches them.
	 */
	void warmupEnded() {
		synchronized (this.warmupMonitor) {
			this.warmupRun = null;
		}
	}

	/**
	 * The warmup sample running now.
	 * @return the sample and since when, {@code null} when none runs
	 */
	public @Nullable SampleInProgress sampleInProgress() {
		return this.sampleInProgress;
	}

	void sampleInProgress(@Nullable SampleInProgress sample) {
		this.sampleInProgress = sample;
	}

	/**
	 * Record the warmup's outcome.
	 * @param result the result
	 */
	void warmupFinished(WarmupResult result) {
		warmupEnded();
		this.warmupResult = result;
		this.status = result.succeeded() ? ModelStatus.READY : ModelStatus.FAILED;
	}

	/**
	 * Ask a running warmup to stop at its next chance.
	 */
	void terminateWarmup() {
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
		Batcher batching = this.batcher;
		if (batching != null) {
			// before runs are refused: a batch worker refused by call then finds its
			// batcher closed, and its callers are refused for the shutdown, not failed
			batching.stopAccepting();
		}
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
		releaseTuningJob();
		Batcher batching = this.batcher;
		if (batching != null) {
			// queued runs are refused, running batches end, before a session closes
			batching.close(wait);
		}
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
				// each one whatever another did: closed already by code that was handed
				// the raw session, or failing in ONNX Runtime
				for (Instance instance : this.instances) {
					instance.closeAtShutdown(name());
				}
			}
		}
		finally {
			lock.unlock();
		}
	}

}
