package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.batching.BatchLayout;
import io.github.onnxgpu.boot.internal.batching.Batcher;
import io.github.onnxgpu.boot.internal.provider.ProviderChoice;
import io.github.onnxgpu.boot.internal.provider.TensorrtSetup;
import io.github.onnxgpu.boot.internal.tuning.TuningReport;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.internal.warmup.SampleInProgress;
import io.github.onnxgpu.boot.internal.warmup.WarmupPlan;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.ModelWarmup;
import io.github.onnxgpu.boot.model.OnnxModel;

/**
 * A loaded model, the {@link OnnxModel} facade over its parts: its sessions and their
 * runs ({@link InstancePool}), its warmup ({@link WarmupState}), tuning
 * ({@link TuningState}) and versions ({@link ModelVersions}). Runs through {@link #call}
 * are counted so that no session is closed while one is in flight, which would crash the
 * JVM inside ONNX Runtime.
 */
public final class ManagedModel implements OnnxModel {

	private final InstancePool pool;

	private final WarmupState warmup;

	private final TuningState tuning;

	private final ModelVersions versions;

	private volatile @Nullable Batcher batcher;

	// the batch layout of a model staged for a reload, whose batcher is not started: the
	// running model's batcher serves it once swapped in
	private volatile @Nullable BatchLayout stagedLayout;

	private volatile WarmupPlan warmupPlan;

	private volatile Map<String, NodeInfo> inputs;

	private volatile Map<String, NodeInfo> outputs;

	private volatile OutputShapes outputShapes = new OutputShapes();

	ManagedModel(LoadedSession loaded, WarmupPlan warmupPlan, @Nullable TuningJob tuningJob, TuningReport tuningReport)
			throws OrtException {
		this.pool = new InstancePool(loaded.definition().name(), loaded);
		this.warmupPlan = warmupPlan;
		this.tuning = new TuningState(tuningJob, tuningReport);
		this.inputs = loaded.session().getInputInfo();
		this.outputs = loaded.session().getOutputInfo();
		this.warmup = new WarmupState(
				(warmupPlan.samples().isEmpty() && tuningJob == null) ? ModelStatus.NOT_WARMED : ModelStatus.LOADING);
		this.versions = new ModelVersions(
				new ModelVersion(null, Instant.now(), loaded.definition().describeLocation()));
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
	 * Run work on the least busy session, holding off {@link #close} until it returns.
	 * @param <T> the result type
	 * @param work the work
	 * @return what the work returned
	 * @throws OrtException when ONNX Runtime fails
	 * @throws IllegalStateException when the model is closed or closing
	 */
	public <T> T call(SessionCall<T> work) throws OrtException {
		return this.pool.call(work);
	}

	// on one instance's session, as the warmup of each instance runs
	<T> T callOn(int index, SessionCall<T> work) throws OrtException {
		return this.pool.callOn(index, work);
	}

	// the instances serving the model, for display
	public List<InstanceState> instances() {
		return this.pool.states();
	}

	// how many instances serve the model
	public int instanceCount() {
		return this.pool.size();
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

	// opened with the settings of the one serving the model now
	void addInstances(List<LoadedSession> added) {
		this.pool.add(added);
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

	// the session of the first instance: runs on it directly are not counted by close,
	// and tuning or a reload may close it once they replace it (use call)
	public OrtSession session() {
		return current().session();
	}

	/**
	 * The session to hand out as the model's {@code OrtSession} bean: a proxy that always
	 * calls the session in force (tuning, instances and reloads change it), each call
	 * counted as a run in flight, its {@code close()} ignored.
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
		return this.warmupPlan.shapes();
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
	 * The TensorRT options sent and the engine cache; when TensorRT is enabled but the
	 * model does not run on it ({@link #provider()} says why), those that would have
	 * been.
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
		return this.tuning.report();
	}

	/**
	 * Serve the model with another session, as when tuning chose another candidate than
	 * the one loaded. Runs in flight finish on the old session, closed once none is left.
	 * @param next the session that serves the model from now on
	 */
	void swap(LoadedSession next) {
		this.pool.replace(List.of(next));
	}

	/**
	 * Serve the model with a version staged by a reload: new runs (batched ones and
	 * bindings included) go to its sessions at once, runs in flight finish on the old
	 * sessions, each closed when its last run returns.
	 * @param staged the new version, whose sessions this model owns from now on (closed
	 * at once when it is closing)
	 * @return whether every old session is already closed (none had a run in flight)
	 * @throws IllegalStateException when this model is closing
	 */
	boolean adopt(StagedVersion staged) {
		// what runs and bindings read about the model first, then the sessions
		this.inputs = staged.inputs();
		this.outputs = staged.outputs();
		this.outputShapes = staged.outputShapes();
		this.warmupPlan = staged.warmupPlan();
		boolean allClosed;
		try {
			allClosed = this.pool.replace(staged.sessions());
		}
		catch (IllegalStateException ex) {
			// closing: nothing else would close them
			staged.sessions().forEach(LoadedSession::closeQuietly);
			throw ex;
		}
		this.tuning.report(staged.tuningReport());
		this.warmup.adopt(staged.status(), staged.warmupResult());
		this.versions.swappedIn(staged.version());
		return allClosed;
	}

	/**
	 * Hand what this staged model built over to the running one: its sessions stay open,
	 * and closing this model no longer touches them.
	 * @return the staged version, for {@link #adopt}
	 */
	StagedVersion handOver() {
		List<LoadedSession> sessions = this.pool.handOver();
		return new StagedVersion(sessions, this.inputs, this.outputs, this.outputShapes, this.warmupPlan,
				this.tuning.report(), this.warmup.status(), this.warmup.result(), this.versions.version());
	}

	// which reload of the model serves it: 0 for the version loaded at start-up
	public long generation() {
		return this.versions.generation();
	}

	/**
	 * The version that serves the model.
	 * @return its checksum, when and from where it was loaded
	 */
	public ModelVersion version() {
		return this.versions.version();
	}

	ModelVersions versions() {
		return this.versions;
	}

	// the reloads of the model so far
	public ReloadHistory reloads() {
		return this.versions.reloads();
	}

	// the definition as configured, before tuning or instances changed it: what a
	// reload loads again
	ModelDefinition configuredDefinition() {
		ModelDefinition definition = this.versions.configured();
		return (definition != null) ? definition : definition();
	}

	void configuredDefinition(ModelDefinition definition) {
		this.versions.configured(definition);
	}

	// the batch layout of the model, or of a model staged for a reload; null when the
	// model is not batched
	@Nullable BatchLayout stagedLayout() {
		Batcher running = this.batcher;
		return (running != null) ? running.layout() : this.stagedLayout;
	}

	void stagedLayout(BatchLayout layout) {
		this.stagedLayout = layout;
	}

	private LoadedSession current() {
		return this.pool.first();
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

	// the output shapes recorded by warmup runs, by input shapes
	public OutputShapes outputShapes() {
		return this.outputShapes;
	}

	@Override
	public ModelStatus status() {
		return this.warmup.status();
	}

	// the last warmup's result, null before the warmup has finished
	public @Nullable WarmupResult warmupResult() {
		return this.warmup.result();
	}

	@Override
	public @Nullable ModelWarmup warmup() {
		return this.warmup.summary();
	}

	/**
	 * The warmup sample running now.
	 * @return the sample and since when, {@code null} when none runs
	 */
	public @Nullable SampleInProgress sampleInProgress() {
		return this.warmup.sampleInProgress();
	}

	// only the warmup, driven from this package, changes the warmup state
	WarmupState warmupState() {
		return this.warmup;
	}

	TuningState tuningState() {
		return this.tuning;
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
		this.pool.beginClosing();
		this.warmup.terminate();
	}

	// whether closing has begun, as at shutdown
	public boolean isClosing() {
		return this.pool.isClosing();
	}

	// whether the model's sessions are closed, or handed over to another model
	public boolean isClosed() {
		return this.pool.isClosed();
	}

	/**
	 * Close the sessions once no run through {@link #call} is in flight. A warmup still
	 * running is stopped first. When runs do not finish in time the sessions are left
	 * open (a leak) rather than closed under them (a crash).
	 * @param wait how long to wait for runs in flight
	 */
	void close(Duration wait) {
		beginClosing();
		this.tuning.release();
		Batcher batching = this.batcher;
		if (batching != null) {
			// queued runs are refused, running batches end, before a session closes
			batching.close(wait);
		}
		this.pool.close(wait);
	}

}
