package io.github.onnxgpu.boot.internal.session;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.batching.BatchLayout;
import io.github.onnxgpu.boot.internal.startup.RemoteDownload;
import io.github.onnxgpu.boot.internal.thread.OnnxThreads;
import io.github.onnxgpu.boot.internal.warmup.ModelWarmer;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OnnxModelReloadedEvent;
import io.github.onnxgpu.boot.model.ReloadAttempt;
import io.github.onnxgpu.boot.model.ReloadOutcome;

/**
 * Reloads models from their configured locations without downtime: the new version is
 * loaded beside the running one (every instance), checked against its inputs and outputs,
 * warmed (and tuned where tuning is on) and only then swapped in; runs in flight finish
 * on the old sessions, each closed when its last run returns. Any failure keeps the old
 * version serving and closes what was built. One reload of a model runs at a time: a
 * second one asked meanwhile is refused ({@link ReloadOutcome#BUSY}). Models with
 * {@code reload.poll} set are watched: their file is reloaded once its SHA-256 differs
 * from the version serving and has stayed the same over two polls in a row.
 */
public class ModelReloader implements SmartLifecycle, DisposableBean, ApplicationEventPublisherAware {

	private static final Log logger = LogFactory.getLog(ModelReloader.class);

	// a reload stopped by shutdown ends with the warmup run in flight
	private final Duration stopWait;

	private final ManagedModelRegistry registry;

	private final OnnxSessionFactory factory;

	private final OrtEnvironment environment;

	private final Map<String, ReloadSettings> settings;

	private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();

	// new versions being built, stopped at shutdown
	private final Set<ManagedModel> staging = ConcurrentHashMap.newKeySet();

	private final Object monitor = new Object();

	private int inProgress;

	private boolean stopping;

	private final List<Watch> watches;

	private @Nullable ApplicationEventPublisher events;

	private @Nullable ScheduledExecutorService poller;

	/**
	 * Create a reloader; polling the models that ask for it starts with {@link #start()}.
	 * @param registry the models
	 * @param factory creates the new versions
	 * @param environment the environment
	 * @param settings the reload settings by model name; models not named are reloaded on
	 * request only
	 * @param stopWait how long stopping waits for a reload running
	 * @throws OnnxModelException when a polled model's location is not a {@code file:}
	 */
	public ModelReloader(ManagedModelRegistry registry, OnnxSessionFactory factory, OrtEnvironment environment,
			Map<String, ReloadSettings> settings, Duration stopWait) {
		this.registry = registry;
		this.factory = factory;
		this.environment = environment;
		this.settings = Map.copyOf(settings);
		this.stopWait = stopWait;
		List<Watch> watches = new ArrayList<>();
		this.settings.forEach((name, reload) -> {
			ManagedModel model = registry.find(name);
			if (reload.poll() != null && model != null) {
				watches.add(watch(model, reload.poll()));
			}
		});
		this.watches = List.copyOf(watches);
		registry.reloader(this);
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher events) {
		this.events = events;
	}

	/**
	 * Start polling the models that ask for it.
	 */
	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.poller != null || this.stopping || this.watches.isEmpty()) {
				return;
			}
			this.poller = Executors.newSingleThreadScheduledExecutor(OnnxThreads.factory("onnx-reload-poll-"));
			for (Watch watch : this.watches) {
				long period = watch.period.toMillis();
				this.poller.scheduleWithFixedDelay(watch::poll, period, period, TimeUnit.MILLISECONDS);
			}
		}
	}

	@Override
	public boolean isRunning() {
		synchronized (this.monitor) {
			return this.poller != null && !this.stopping;
		}
	}

	private Watch watch(ManagedModel model, Duration period) {
		String property = OnnxModelException.modelProperty(model.name(), "reload.poll");
		if (period.isNegative() || period.isZero()) {
			throw new OnnxModelException(model.name(), property, "the poll period must be positive but is " + period,
					"set " + property + " to a period such as 30s, or remove it to reload on request only");
		}
		Resource location = model.configuredDefinition().location();
		File file = null;
		try {
			file = (location != null && !RemoteDownload.isRemote(location) && location.isFile()) ? location.getFile()
					: null;
		}
		catch (IOException ex) {
			// not a file on disk
		}
		if (file == null) {
			throw new OnnxModelException(model.name(), property,
					"only file: locations are polled, but the model is at " + model.definition().describeLocation(),
					"point " + OnnxModelException.modelProperty(model.name(), "location")
							+ " at a file: location, or remove " + property + " and reload through POST "
							+ "/actuator/onnx/" + model.name());
		}
		Watch watch = new Watch(model, file.toPath(), period);
		String loaded = model.version().sha256();
		if (loaded == null) {
			// the version serving: read now, right after start-up loaded it
			loaded = watch.observe().sha256();
			if (loaded != null) {
				model.versions().hashed(model.version(), loaded);
			}
		}
		return watch;
	}

	/**
	 * The reload settings of a model.
	 * @param name the model
	 * @return its settings
	 */
	public ReloadSettings settings(String name) {
		return this.settings.getOrDefault(name, ReloadSettings.onRequest());
	}

	/**
	 * Reload a model from its configured location, now, on the calling thread.
	 * @param name the model
	 * @param trigger what asks for it, as shown in its history
	 * @return what the reload did; a {@link ReloadOutcome#BUSY} attempt is not recorded
	 * @throws java.util.NoSuchElementException when there is no such model
	 */
	public ReloadAttempt reload(String name, String trigger) {
		ReloadAttempt attempt = attempt(name, trigger);
		ApplicationEventPublisher publisher = this.events;
		if (publisher != null) {
			publisher.publishEvent(new OnnxModelReloadedEvent(this.registry, name, attempt));
		}
		return attempt;
	}

	private ReloadAttempt attempt(String name, String trigger) {
		ManagedModel model = this.registry.get(name);
		ReentrantLock lock = this.running.computeIfAbsent(name, (key) -> new ReentrantLock());
		Instant startedAt = Instant.now();
		ModelStatus status = model.status();
		if (status == ModelStatus.LOADING || status == ModelStatus.WARMING) {
			return new ReloadAttempt(ReloadOutcome.BUSY, "ONNX model '" + name + "' is still warming up at start-up",
					trigger, startedAt, Duration.ZERO, null);
		}
		if (!lock.tryLock()) {
			return new ReloadAttempt(ReloadOutcome.BUSY, "another reload of ONNX model '" + name + "' is running",
					trigger, startedAt, Duration.ZERO, null);
		}
		try {
			synchronized (this.monitor) {
				if (this.stopping) {
					return new ReloadAttempt(ReloadOutcome.BUSY, "the application is shutting down", trigger, startedAt,
							Duration.ZERO, null);
				}
				this.inProgress++;
			}
			try {
				ReloadAttempt attempt = reload(model, trigger, startedAt);
				model.reloads().record(attempt);
				return attempt;
			}
			finally {
				synchronized (this.monitor) {
					this.inProgress--;
					this.monitor.notifyAll();
				}
			}
		}
		finally {
			lock.unlock();
		}
	}

	private ReloadAttempt reload(ManagedModel model, String trigger, Instant startedAt) {
		long start = System.nanoTime();
		ManagedModel staged = null;
		boolean adopted = false;
		String sha256 = null;
		try {
			if (model.isClosing()) {
				throw new ReloadRefused("the application is shutting down");
			}
			staged = this.factory.stage(model.configuredDefinition(), (session) -> checkSignature(model, session));
			sha256 = staged.version().sha256();
			this.staging.add(staged);
			if (isStopping()) {
				throw new ReloadRefused("the application is shutting down");
			}
			checkLayout(model, staged);
			long warmupStart = System.nanoTime();
			if (staged.status() == ModelStatus.LOADING) {
				WarmupResult warmup = warm(staged);
				if (!warmup.succeeded()) {
					throw new ReloadRefused(staged.isClosing() ? "the application is shutting down"
							: "the warmup of the new version failed: " + warmup.error());
				}
			}
			long warmupNanos = System.nanoTime() - warmupStart;
			if (isStopping()) {
				throw new ReloadRefused("the application is shutting down");
			}
			String before = model.version().sha256();
			model.adopt(staged.handOver());
			adopted = true;
			Duration duration = Duration.ofNanos(System.nanoTime() - start);
			logger.info("ONNX model '" + model.name() + "' reloaded (" + trigger + ") from "
					+ model.version().location() + ": SHA-256 " + shortSha(sha256) + " replaces " + shortSha(before)
					+ ", on " + model.activeProvider() + ", warmed in " + Duration.ofNanos(warmupNanos).toMillis()
					+ " ms, swapped in after " + duration.toMillis() + " ms");
			return new ReloadAttempt(ReloadOutcome.SWAPPED, null, trigger, startedAt, duration, sha256);
		}
		catch (ReloadRefused | OnnxModelException | IllegalStateException ex) {
			String reason = (ex instanceof OnnxModelException modelException)
					? modelException.getProblem() + "; " + modelException.getAction() : ex.getMessage();
			if (model.isClosing() || isStopping()) {
				reason = "the application is shutting down";
			}
			logger.warn("ONNX model '" + model.name() + "' not reloaded (" + trigger + "); the version loaded "
					+ model.version().loadedAt() + " keeps serving: " + reason);
			return new ReloadAttempt(ReloadOutcome.FAILED, reason, trigger, startedAt,
					Duration.ofNanos(System.nanoTime() - start), sha256);
		}
		catch (RuntimeException ex) {
			logger.warn("ONNX model '" + model.name() + "' not reloaded (" + trigger + "); the old version keeps "
					+ "serving", ex);
			return new ReloadAttempt(ReloadOutcome.FAILED, String.valueOf(ex.getMessage()), trigger, startedAt,
					Duration.ofNanos(System.nanoTime() - start), sha256);
		}
		finally {
			if (staged != null) {
				this.staging.remove(staged);
				if (!adopted) {
					// what was built: its sessions, a tuning job's source (a download's
					// temporary file)
					staged.close(this.stopWait);
				}
			}
		}
	}

	private WarmupResult warm(ManagedModel staged) {
		ScheduledExecutorService timer = Executors
			.newSingleThreadScheduledExecutor(OnnxThreads.factory("onnx-reload-timer-"));
		try {
			return OnnxWarmupRunner.warmUp(new ModelWarmer(this.environment, timer), staged, System::nanoTime);
		}
		finally {
			timer.shutdownNow();
		}
	}

	// before the new version's warmup shapes are resolved: a renamed input is reported
	// as such, with the property that allows it
	private void checkSignature(ManagedModel running, OrtSession session) {
		String name = running.name();
		Map<String, NodeInfo> inputs;
		Map<String, NodeInfo> outputs;
		try {
			inputs = session.getInputInfo();
			outputs = session.getOutputInfo();
		}
		catch (OrtException ex) {
			throw new IllegalStateException("the new version's inputs and outputs cannot be read: " + ex.getMessage(),
					ex);
		}
		if (sameTensors(running.inputs(), inputs) && sameTensors(running.outputs(), outputs)) {
			return;
		}
		String differ = "the new version's inputs " + describe(inputs) + " and outputs " + describe(outputs)
				+ " differ from the running version's " + describe(running.inputs()) + " and "
				+ describe(running.outputs());
		String property = OnnxModelException.modelProperty(name, "reload.allow-signature-change");
		if (running.stagedLayout() != null) {
			throw new OnnxModelException(name, OnnxModelException.modelProperty(name, "batching.enabled"),
					differ + ", and a batched model's batcher is laid out for the inputs and outputs it started with",
					"restart the application to serve this version");
		}
		if (!settings(name).allowSignatureChange()) {
			throw new OnnxModelException(name, property, differ,
					"set " + property + "=true to serve it anyway (callers must then send what it expects)");
		}
	}

	private static void checkLayout(ManagedModel running, ManagedModel staged) {
		BatchLayout layout = running.stagedLayout();
		BatchLayout next = staged.stagedLayout();
		if (layout != null && (next == null || !layout.inputDimensions().equals(next.inputDimensions())
				|| !layout.outputDimensions().equals(next.outputDimensions()))) {
			throw new ReloadRefused("the new version's batch dimensions differ from the running version's, and a "
					+ "batched model's batcher is laid out for those it started with: restart the application to "
					+ "serve this version");
		}
	}

	private static boolean sameTensors(Map<String, NodeInfo> running, Map<String, NodeInfo> staged) {
		if (!running.keySet().equals(staged.keySet())) {
			return false;
		}
		for (Map.Entry<String, NodeInfo> entry : running.entrySet()) {
			Object before = entry.getValue().getInfo();
			Object after = staged.get(entry.getKey()).getInfo();
			if (before instanceof TensorInfo tensor && after instanceof TensorInfo next) {
				if (tensor.type != next.type || !Arrays.equals(tensor.getShape(), next.getShape())) {
					return false;
				}
			}
			else if (!Objects.equals(String.valueOf(before), String.valueOf(after))) {
				return false;
			}
		}
		return true;
	}

	private static String describe(Map<String, NodeInfo> tensors) {
		Map<String, String> shown = new LinkedHashMap<>();
		tensors.forEach((name, info) -> shown.put(name, (info.getInfo() instanceof TensorInfo tensor)
				? tensor.type + Arrays.toString(tensor.getShape()) : String.valueOf(info.getInfo())));
		return shown.toString();
	}

	private static String shortSha(@Nullable String sha256) {
		return (sha256 != null) ? sha256.substring(0, Math.min(12, sha256.length())) : "(not read)";
	}

	// the new versions being built now
	Set<ManagedModel> staging() {
		return Set.copyOf(this.staging);
	}

	private boolean isStopping() {
		synchronized (this.monitor) {
			return this.stopping;
		}
	}

	/**
	 * Stop polling and any reload running: its new version's warmup is stopped and what
	 * it built closed, the old version untouched, before the models close.
	 */
	@Override
	public void stop() {
		ScheduledExecutorService polling;
		synchronized (this.monitor) {
			this.stopping = true;
			polling = this.poller;
		}
		if (polling != null) {
			polling.shutdownNow();
		}
		this.staging.forEach(ManagedModel::beginClosing);
		long deadline = System.nanoTime() + this.stopWait.toNanos();
		synchronized (this.monitor) {
			long left = this.stopWait.toNanos();
			while (this.inProgress > 0 && left > 0) {
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

	// a context that is not started (or a refresh that failed) stops here
	@Override
	public void destroy() {
		stop();
	}

	/**
	 * A model file watched for new versions.
	 */
	private final class Watch {

		private final ManagedModel model;

		private final Path file;

		private final Duration period;

		// what the last poll saw, and a version that failed to reload: not tried again
		// until the file changes
		private @Nullable Observed last;

		private @Nullable String failed;

		Watch(ManagedModel model, Path file, Duration period) {
			this.model = model;
			this.file = file;
			this.period = period;
		}

		void poll() {
			try {
				Observed now = observe();
				Observed before = this.last;
				this.last = now;
				if (now.sha256() == null || now.sha256().equals(this.model.version().sha256())
						|| now.sha256().equals(this.failed)) {
					return;
				}
				if (!now.equals(before)) {
					// changed since the last poll: maybe still being written
					logger.debug("ONNX model '" + this.model.name() + "': " + this.file
							+ " changed; reloading once it stays the same over a poll");
					return;
				}
				ReloadAttempt attempt = reload(this.model.name(), "poll");
				if (attempt.outcome() == ReloadOutcome.FAILED) {
					this.failed = now.sha256();
				}
			}
			catch (RuntimeException ex) {
				// a poll must not end the schedule
				logger.warn("ONNX model '" + this.model.name() + "': polling " + this.file + " failed", ex);
			}
		}

		Observed observe() {
			try {
				long size = Files.size(this.file);
				MessageDigest digest = MessageDigest.getInstance("SHA-256");
				try (InputStream input = new DigestInputStream(Files.newInputStream(this.file), digest)) {
					input.transferTo(OutputStream.nullOutputStream());
				}
				return new Observed(size, HexFormat.of().formatHex(digest.digest()));
			}
			catch (IOException ex) {
				// missing while being replaced: seen at a later poll
				return new Observed(-1, null);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	private record Observed(long size, @Nullable String sha256) {

	}

	/**
	 * Why a new version is refused.
	 */
	private static final class ReloadRefused extends RuntimeException {

		ReloadRefused(String reason) {
			super(reason);
		}

	}

}
