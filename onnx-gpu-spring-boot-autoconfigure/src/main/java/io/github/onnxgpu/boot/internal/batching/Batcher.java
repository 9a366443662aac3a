package io.github.onnxgpu.boot.internal.batching;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.TensorInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.batching.PendingRun.BatchKey;
import io.github.onnxgpu.boot.internal.batching.PendingRun.Slice;
import io.github.onnxgpu.boot.internal.batching.PendingRun.State;
import io.github.onnxgpu.boot.internal.thread.OnnxThreads;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.model.OnnxModelBusyException.Reason;

/**
 * A model's dynamic batcher. Callers queue their runs (a bounded queue: a full one
 * refuses at once); the batcher's own threads take the compatible runs at the head of the
 * queue, up to the largest warmed batch size they fill, stack them, run them as one on
 * the model, and hand each caller its slice, a view on the batch's outputs that becomes
 * the caller's own {@link Result}. A batch waits up to {@code max-delay} for more runs
 * only while no other batch of the model runs, and never once it is full. A run left in
 * the queue for {@code timeout} is refused. Callers block on a future, never inside ONNX
 * Runtime, so virtual threads are not pinned by the model's run.
 * <p>
 * One caller's fault is its own: a run whose inputs do not fit the model is refused at
 * once, naming the model and the input; a batch that fails in ONNX Runtime is run again
 * one run at a time, so that only the failing caller fails; runs that cannot be batched
 * (more samples than {@code max-batch-size}, inputs that are not plain tensors, pinned
 * outputs) go alone, counted against {@code queue-size}.
 */
public final class Batcher {

	/**
	 * The largest stacking buffer a batch worker keeps from batch to batch, per input; a
	 * larger batch stacks into a buffer of its own, released with the batch.
	 */
	static final int RETAINED_BYTES = 16 << 20;

	private static final Log logger = LogFactory.getLog(Batcher.class);

	private final BatchLayout layout;

	private final BatchingSettings settings;

	private final BatchRunner runner;

	private final OrtEnvironment environment;

	private final CallerResults results;

	private final List<Integer> sizes;

	private final List<String> allOutputs;

	// each output's shape at any batch when all its other dimensions are fixed (the
	// batch dimension -1): ONNX Runtime writes it into the batcher's buffer
	private final Map<String, long[]> pinnable;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<PendingRun> queue = new ArrayDeque<>();

	private final List<Thread> workers = new ArrayList<>();

	private final List<BatchingListener> listeners = new CopyOnWriteArrayList<>();

	private final LongAdder batches = new LongAdder();

	private final LongAdder requests = new LongAdder();

	private final LongAdder samples = new LongAdder();

	private final LongAdder refusedQueueFull = new LongAdder();

	private final LongAdder refusedTimeout = new LongAdder();

	private final LongAdder refusedShuttingDown = new LongAdder();

	private final LongAdder refusedInvalid = new LongAdder();

	private final LongAdder aloneRuns = new LongAdder();

	private final LongAdder isolatedBatches = new LongAdder();

	private final LongAdder withdrawn = new LongAdder();

	// guarded by lock
	private boolean closed;

	// guarded by lock: batches running now
	private int running;

	// guarded by lock: runs going alone now, counted against the queue's bound
	private int alone;

	// guarded by lock: created by the first runAsync
	private @Nullable ScheduledThreadPoolExecutor timer;

	private boolean started;

	private final AtomicBoolean closing = new AtomicBoolean();

	private Batcher(BatchLayout layout, BatchingSettings settings, BatchRunner runner, OrtEnvironment environment,
			CallerResults results) {
		this.layout = layout;
		this.settings = settings;
		this.runner = runner;
		this.environment = environment;
		this.results = results;
		this.sizes = settings.batchSizes();
		this.allOutputs = List.copyOf(layout.outputs().keySet());
		this.pinnable = pinnable(layout);
	}

	/**
	 * Create a model's batcher, its workers not started: runs queue until {@link #start}.
	 * @param layout the model's batch layout, outputs included
	 * @param settings the batching settings
	 * @param workers how many batches run at once
	 * @param runner runs a batch on the model
	 * @param environment the environment
	 * @return the batcher
	 * @throws OnnxModelException when ONNX Runtime cannot load the batcher's result model
	 */
	public static Batcher create(BatchLayout layout, BatchingSettings settings, int workers, BatchRunner runner,
			OrtEnvironment environment) {
		CallerResults results;
		try {
			results = CallerResults.create(environment, layout.outputs());
		}
		catch (OrtException ex) {
			throw new OnnxModelException(layout.modelName(),
					OnnxModelException.modelProperty(layout.modelName(), "batching.enabled"),
					"the batcher cannot be set up: " + ex.getMessage(), "disable batching for this model", ex);
		}
		Batcher batcher = new Batcher(layout, settings, runner, environment, results);
		for (int i = 0; i < Math.max(1, workers); i++) {
			batcher.workers.add(daemon(batcher::work, "onnx-batch-" + layout.modelName() + "-" + (i + 1)));
		}
		return batcher;
	}

	/**
	 * Create a model's batcher and start it, as {@link #create} and {@link #start()} do.
	 * @param layout the model's batch layout, outputs included
	 * @param settings the batching settings
	 * @param workers how many batches run at once
	 * @param runner runs a batch on the model
	 * @param environment the environment
	 * @return the running batcher
	 * @throws OnnxModelException when ONNX Runtime cannot load the batcher's result model
	 */
	public static Batcher start(BatchLayout layout, BatchingSettings settings, int workers, BatchRunner runner,
			OrtEnvironment environment) {
		Batcher batcher = create(layout, settings, workers, runner, environment);
		batcher.start();
		return batcher;
	}

	/**
	 * Start the workers, once; {@link #close} stops them.
	 */
	public void start() {
		this.lock.lock();
		try {
			if (this.started || this.closed) {
				return;
			}
			this.started = true;
		}
		finally {
			this.lock.unlock();
		}
		this.workers.forEach(Thread::start);
	}

	/**
	 * Add a listener, such as the metrics.
	 * @param listener the listener
	 */
	public void addListener(BatchingListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public BatchingSettings settings() {
		return this.settings;
	}

	public BatchLayout layout() {
		return this.layout;
	}

	/**
	 * Run through a batch and wait for the result.
	 * @param inputs the inputs, which the caller may close once this returns
	 * @param requestedOutputs the outputs, {@code null} for all
	 * @param alone runs the run on its own when it cannot be batched (a batch count
	 * beyond {@code max-batch-size}, inputs that are not plain tensors), counted against
	 * the queue's bound
	 * @return the caller's result
	 * @throws OrtException when ONNX Runtime fails to run the caller's run
	 * @throws OnnxModelBusyException when the run is refused
	 * @throws IllegalArgumentException when the inputs do not fit the model
	 */
	public Result run(Map<String, ? extends OnnxTensorLike> inputs, @Nullable Set<String> requestedOutputs,
			AloneRun alone) throws OrtException {
		return run(inputs, requestedOutputs, alone, null);
	}

	/**
	 * Run through a batch within the caller's own deadline and wait for the result.
	 * @param inputs the inputs, which the caller may close once this returns
	 * @param requestedOutputs the outputs, {@code null} for all
	 * @param alone runs the run on its own when it cannot be batched
	 * @param timeout the caller's deadline from now, which replaces
	 * {@code batching.timeout} when shorter; {@code null} for none
	 * @return the caller's result
	 * @throws OrtException when ONNX Runtime fails to run the caller's run
	 * @throws OnnxModelBusyException when the run is refused
	 * @throws IllegalArgumentException when the inputs do not fit the model
	 */
	public Result run(Map<String, ? extends OnnxTensorLike> inputs, @Nullable Set<String> requestedOutputs,
			AloneRun alone, @Nullable Duration timeout) throws OrtException {
		PendingRun run = prepare(inputs, requestedOutputs, false, timeout);
		if (run == null) {
			return runAlone(alone);
		}
		enqueue(run);
		Map<String, Slice> slices = await(run);
		return result(run, slices);
	}

	/**
	 * Run through a batch without waiting. Cancelling the future takes a queued run out
	 * of the queue.
	 * @param inputs the inputs, which the caller may close once this returns
	 * @param requestedOutputs the outputs, {@code null} for all
	 * @param alone runs the run on its own, on the calling thread, when it cannot be
	 * batched
	 * @return the result to come
	 */
	public CompletableFuture<Result> runAsync(Map<String, ? extends OnnxTensorLike> inputs,
			@Nullable Set<String> requestedOutputs, AloneRun alone) {
		PendingRun run;
		try {
			run = prepare(inputs, requestedOutputs, true, null);
			if (run == null) {
				return CompletableFuture.completedFuture(runAlone(alone));
			}
			enqueue(run);
		}
		catch (OrtException | RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<Result> answer = new CompletableFuture<>();
		run.slices.whenComplete((slices, failure) -> {
			if (failure != null) {
				answer.completeExceptionally((failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure);
				return;
			}
			try {
				Result result = result(run, slices);
				if (!answer.complete(result)) {
					result.close();
				}
			}
			catch (OrtException | RuntimeException ex) {
				answer.completeExceptionally(ex);
			}
		});
		// cancel reaches the queued run: it leaves the queue, its slot is free
		answer.whenComplete((result, failure) -> {
			if (answer.isCancelled()) {
				withdraw(run);
			}
		});
		ScheduledThreadPoolExecutor expiring = timer();
		if (expiring != null) {
			try {
				run.expiry = expiring.schedule(() -> expire(run, Reason.TIMEOUT),
						Math.max(0, run.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (RuntimeException ex) {
				// the timer stopped: shutdown refuses the queue
			}
		}
		return answer;
	}

	/**
	 * Run on its own a run that cannot be batched, counted against the queue's bound and
	 * in the statistics.
	 * @param <T> the result type
	 * @param alone the run
	 * @return its result
	 * @throws OrtException when ONNX Runtime fails
	 * @throws OnnxModelBusyException when the queue is full or the batcher stopped
	 */
	public <T> T runAlone(AloneCall<T> alone) throws OrtException {
		Reason refused = null;
		this.lock.lock();
		try {
			if (this.closed) {
				refused = Reason.SHUTTING_DOWN;
			}
			else if (this.queue.size() + this.alone >= this.settings.queueSize()) {
				refused = Reason.QUEUE_FULL;
			}
			else {
				this.alone++;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (refused != null) {
			throw refusal(refused);
		}
		try {
			return alone.call();
		}
		finally {
			this.lock.lock();
			try {
				this.alone--;
			}
			finally {
				this.lock.unlock();
			}
			this.aloneRuns.increment();
		}
	}

	/**
	 * What the batcher has done so far.
	 * @return the figures
	 */
	public BatchingStats stats() {
		int depth;
		int runningAlone;
		this.lock.lock();
		try {
			depth = this.queue.size() + this.alone;
			runningAlone = this.alone;
		}
		finally {
			this.lock.unlock();
		}
		return new BatchingStats(depth, this.batches.sum(), this.requests.sum(), this.samples.sum(),
				this.refusedQueueFull.sum(), this.refusedTimeout.sum(), this.refusedShuttingDown.sum(),
				this.workers.size(), this.aloneRuns.sum(), runningAlone, this.refusedInvalid.sum(),
				this.isolatedBatches.sum(), this.withdrawn.sum());
	}

	/**
	 * Stop taking runs: new ones and those still queued are refused; batches running
	 * finish.
	 */
	public void stopAccepting() {
		List<PendingRun> refused = new ArrayList<>();
		this.lock.lock();
		try {
			this.closed = true;
			for (PendingRun run : this.queue) {
				run.state = State.REFUSED;
				refused.add(run);
			}
			this.queue.clear();
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		for (PendingRun run : refused) {
			run.slices.completeExceptionally(refusal(Reason.SHUTTING_DOWN));
		}
	}

	/**
	 * Stop: refuse what is queued, wait for the batches running, and release the
	 * batcher's own session, if it has one. Left open if a caller still makes its result
	 * after the wait.
	 * @param wait how long to wait for running batches
	 */
	public void close(Duration wait) {
		if (!this.closing.compareAndSet(false, true)) {
			// stopped by the lifecycle already, closed again with the model
			return;
		}
		stopAccepting();
		long deadline = System.nanoTime() + wait.toNanos();
		for (Thread worker : this.workers) {
			try {
				worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		ScheduledThreadPoolExecutor expiring;
		this.lock.lock();
		try {
			expiring = this.timer;
		}
		finally {
			this.lock.unlock();
		}
		if (expiring != null) {
			expiring.shutdownNow();
		}
		this.results.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
	}

	private String name() {
		return this.layout.modelName();
	}

	private @Nullable ScheduledThreadPoolExecutor timer() {
		this.lock.lock();
		try {
			if (this.timer == null && !this.closed) {
				ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1,
						(task) -> daemon(task, "onnx-batch-timer-" + name()));
				created.setRemoveOnCancelPolicy(true);
				this.timer = created;
			}
			return this.timer;
		}
		finally {
			this.lock.unlock();
		}
	}

	// the run as queued, null when it goes alone; refuses inputs that do not fit
	private @Nullable PendingRun prepare(Map<String, ? extends OnnxTensorLike> inputs,
			@Nullable Set<String> requestedOutputs, boolean copy, @Nullable Duration timeout) {
		try {
			return prepareChecked(inputs, requestedOutputs, copy, timeout);
		}
		catch (IllegalArgumentException ex) {
			this.refusedInvalid.increment();
			throw ex;
		}
	}

	private @Nullable PendingRun prepareChecked(Map<String, ? extends OnnxTensorLike> inputs,
			@Nullable Set<String> requestedOutputs, boolean copy, @Nullable Duration timeout) {
		Map<String, TensorInfo> modelInputs = this.layout.inputs();
		InputCheck.names(name(), modelInputs.keySet(), inputs.keySet());
		List<String> outputs = this.allOutputs;
		if (requestedOutputs != null) {
			for (String output : requestedOutputs) {
				if (!this.layout.outputs().containsKey(output)) {
					throw new IllegalArgumentException("ONNX model '" + name() + "': '" + output
							+ "' is not an output of the model; its outputs are " + this.allOutputs);
				}
			}
			outputs = List.copyOf(requestedOutputs);
			if (outputs.isEmpty()) {
				return null;
			}
		}
		int inputCount = modelInputs.size();
		Map<String, Buffer> data = new HashMap<>(inputCount * 2);
		Map<String, long[]> shapes = new HashMap<>(inputCount * 2);
		long[][] keyShapes = new long[inputCount][];
		ByteBuffer[] controls = new ByteBuffer[inputCount];
		long count = -1;
		String counted = null;
		int index = 0;
		for (Map.Entry<String, TensorInfo> input : modelInputs.entrySet()) {
			String name = input.getKey();
			OnnxTensor tensor = InputCheck.tensor(name(), name, input.getValue(), inputs.get(name));
			if (tensor == null) {
				return null;
			}
			long[] shape = tensor.getInfo().getShape();
			int dimension = this.layout.inputDimensions().get(name);
			Buffer elements = elements(tensor, copy);
			if (dimension == BatchLayout.CONTROL) {
				keyShapes[index] = shape;
				controls[index] = tensor.getByteBuffer();
			}
			else {
				shapes.put(name, shape);
				if (count >= 0 && shape[dimension] != count) {
					throw InputCheck.batchMismatch(name(), this.layout.inputDimensions(), shapes, counted, name);
				}
				if (count < 0) {
					count = shape[dimension];
					counted = name;
				}
				long[] rest = shape.clone();
				rest[dimension] = -1;
				keyShapes[index] = rest;
			}
			data.put(name, elements);
			shapes.put(name, shape);
			index++;
		}
		if (count < 1 || count > this.settings.maxBatchSize()) {
			return null;
		}
		long now = System.nanoTime();
		Duration own = (timeout != null && timeout.compareTo(this.settings.timeout()) < 0) ? timeout : null;
		long wait = ((own != null) ? own : this.settings.timeout()).toNanos();
		return new PendingRun(data, shapes, (int) count, outputs, new BatchKey(outputs, keyShapes, controls), now,
				now + wait, own);
	}

	// the tensor's elements: a view on its own buffer, or a copy for a caller that does
	// not wait (it may close its tensor)
	private static Buffer elements(OnnxTensor tensor, boolean copy) {
		Optional<Buffer> own = tensor.getBufferRef();
		Buffer elements;
		if (own.isPresent() && !copy) {
			elements = own.get();
			if (elements instanceof ByteBuffer bytes) {
				elements = TensorBlocks.typed(bytes, tensor.getInfo().type);
			}
		}
		else {
			ByteBuffer bytes = tensor.getByteBuffer();
			ByteBuffer direct = ByteBuffer.allocateDirect(bytes.remaining()).order(ByteOrder.nativeOrder());
			direct.put(0, bytes, bytes.position(), bytes.remaining());
			elements = TensorBlocks.typed(direct, tensor.getInfo().type);
		}
		return elements;
	}

	private void enqueue(PendingRun run) {
		Reason refused = null;
		this.lock.lock();
		try {
			if (this.closed) {
				refused = Reason.SHUTTING_DOWN;
			}
			else if (this.queue.size() + this.alone >= this.settings.queueSize()) {
				refused = Reason.QUEUE_FULL;
			}
			else {
				this.queue.addLast(run);
				this.changed.signal();
			}
		}
		finally {
			this.lock.unlock();
		}
		if (refused != null) {
			throw refusal(refused);
		}
	}

	// the caller's wait: bounded by the timeout while queued; once a worker took the run,
	// until its batch ends
	private Map<String, Slice> await(PendingRun run) throws OrtException {
		try {
			try {
				return run.slices.get(Math.max(0, run.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				expire(run, Reason.TIMEOUT);
				return run.slices.get();
			}
		}
		catch (InterruptedException ex) {
			withdraw(run);
			Thread.currentThread().interrupt();
			throw new IllegalStateException(
					"ONNX model '" + name() + "': interrupted while waiting for a batch; the run left the queue", ex);
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
		catch (CancellationException ex) {
			throw new IllegalStateException("ONNX model '" + name() + "': the run was withdrawn", ex);
		}
	}

	private boolean expire(PendingRun run, Reason reason) {
		this.lock.lock();
		try {
			if (run.state != State.QUEUED) {
				return false;
			}
			run.state = State.EXPIRED;
			this.queue.remove(run);
		}
		finally {
			this.lock.unlock();
		}
		run.slices.completeExceptionally(refusal(reason, run));
		return true;
	}

	// an interrupted caller or a cancelled future: out of the queue, not a refusal
	private void withdraw(PendingRun run) {
		this.lock.lock();
		try {
			if (run.state != State.QUEUED) {
				return;
			}
			run.state = State.WITHDRAWN;
			this.queue.remove(run);
		}
		finally {
			this.lock.unlock();
		}
		this.withdrawn.increment();
		ScheduledFuture<?> expiry = run.expiry;
		if (expiry != null) {
			expiry.cancel(false);
		}
		run.slices.cancel(false);
	}

	private OnnxModelBusyException refusal(Reason reason) {
		return refusal(reason, null);
	}

	private OnnxModelBusyException refusal(Reason reason, @Nullable PendingRun run) {
		String prefix = "ONNX model '" + name() + "'";
		String message = switch (reason) {
			case QUEUE_FULL -> {
				this.refusedQueueFull.increment();
				yield prefix + " is busy: " + this.settings.queueSize()
						+ " runs already wait for a batch or run alone [property "
						+ OnnxModelException.modelProperty(name(), "batching.queue-size")
						+ "]. Retry later, or add instances or replicas";
			}
			case TIMEOUT -> {
				this.refusedTimeout.increment();
				if (run != null && run.ownTimeout != null) {
					yield prefix + ": the run was refused while still queued for a batch, at its own deadline of "
							+ run.ownTimeout + " (OnnxRunOptions.timeout); it never reached ONNX Runtime";
				}
				yield prefix + " is busy: the run waited " + this.settings.timeout()
						+ " in the batching queue without a batch to run it [property "
						+ OnnxModelException.modelProperty(name(), "batching.timeout")
						+ "]. Retry later, or add instances or replicas";
			}
			case SHUTTING_DOWN -> {
				this.refusedShuttingDown.increment();
				yield prefix + " is shutting down and takes no more runs";
			}
		};
		for (BatchingListener listener : this.listeners) {
			listener.refused(reason);
		}
		Duration retryAfter = (this.settings.timeout().compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1)
				: this.settings.timeout();
		return new OnnxModelBusyException(name(), reason, message, retryAfter);
	}

	private void work() {
		Map<String, ByteBuffer> scratch = new HashMap<>();
		List<PendingRun> batch;
		while ((batch = nextBatch()) != null) {
			try {
				runBatch(batch, scratch);
			}
			finally {
				this.lock.lock();
				try {
					this.running--;
					if (!this.queue.isEmpty()) {
						this.changed.signal();
					}
				}
				finally {
					this.lock.unlock();
				}
			}
		}
	}

	private @Nullable List<PendingRun> nextBatch() {
		List<PendingRun> expired = new ArrayList<>();
		this.lock.lock();
		try {
			while (true) {
				if (this.closed) {
					return null;
				}
				PendingRun head = this.queue.peekFirst();
				if (head == null) {
					this.changed.awaitUninterruptibly();
					continue;
				}
				long now = System.nanoTime();
				int available = 0;
				for (Iterator<PendingRun> it = this.queue.iterator(); it.hasNext();) {
					PendingRun run = it.next();
					if (run.deadline - now <= 0) {
						it.remove();
						run.state = State.EXPIRED;
						expired.add(run);
					}
					else if (run.key.equals(head.key)) {
						available += run.count;
					}
				}
				if (!expired.isEmpty()) {
					break;
				}
				long left = this.settings.maxDelay().toNanos() - (now - head.arrival);
				// waiting for more runs pays only while the model is idle: with another
				// batch running, the core this worker would leave idle is the cost
				if (available < this.settings.maxBatchSize() && left > 0 && this.running == 0) {
					this.changed.awaitNanos(left);
					continue;
				}
				this.running++;
				List<PendingRun> batch = take(head, available);
				if (!this.queue.isEmpty()) {
					this.changed.signal();
				}
				return batch;
			}
		}
		catch (InterruptedException ex) {
			return null;
		}
		finally {
			this.lock.unlock();
			for (PendingRun run : expired) {
				run.slices.completeExceptionally(refusal(Reason.TIMEOUT, run));
			}
		}
		// runs expired: look again
		return nextBatch();
	}

	// the largest warmed size the compatible runs fill, so that no batch meets a cold
	// shape
	private List<PendingRun> take(PendingRun head, int available) {
		int target = 1;
		for (int size : this.sizes) {
			if (size <= Math.min(available, this.settings.maxBatchSize())) {
				target = size;
			}
		}
		target = Math.max(target, head.count);
		List<PendingRun> batch = new ArrayList<>();
		int taken = 0;
		for (Iterator<PendingRun> it = this.queue.iterator(); it.hasNext() && taken < target;) {
			PendingRun run = it.next();
			if (run.key.equals(head.key) && taken + run.count <= target) {
				it.remove();
				run.state = State.TAKEN;
				batch.add(run);
				taken += run.count;
			}
		}
		return batch;
	}

	private void runBatch(List<PendingRun> batch, Map<String, ByteBuffer> scratch) {
		long now = System.nanoTime();
		for (PendingRun run : batch) {
			ScheduledFuture<?> expiry = run.expiry;
			if (expiry != null) {
				expiry.cancel(false);
			}
			for (BatchingListener listener : this.listeners) {
				listener.queued(now - run.arrival);
			}
		}
		try {
			List<Map<String, Slice>> slices = execute(batch, scratch);
			counted(batch);
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).slices.complete(slices.get(i));
			}
		}
		catch (Throwable ex) {
			if (isClosed() && ex instanceof IllegalStateException) {
				refuseAll(batch);
				return;
			}
			if (batch.size() > 1 && ex instanceof OrtException) {
				// whose run failed: each once on its own, so that only its caller fails
				logger.debug("ONNX model '" + name() + "': a batch of " + batch.size()
						+ " runs failed; running them one at a time", ex);
				this.isolatedBatches.increment();
				for (PendingRun run : batch) {
					runOne(run, scratch);
				}
				return;
			}
			logger.debug("ONNX model '" + name() + "': a batch of " + batch.size() + " runs failed", ex);
			for (PendingRun run : batch) {
				run.slices.completeExceptionally(ex);
			}
		}
	}

	private void runOne(PendingRun run, Map<String, ByteBuffer> scratch) {
		List<PendingRun> one = List.of(run);
		try {
			Map<String, Slice> slices = execute(one, scratch).get(0);
			counted(one);
			run.slices.complete(slices);
		}
		catch (Throwable ex) {
			if (isClosed() && ex instanceof IllegalStateException) {
				refuseAll(one);
				return;
			}
			run.slices.completeExceptionally(ex);
		}
	}

	private void refuseAll(List<PendingRun> batch) {
		OnnxModelBusyException refusal = refusal(Reason.SHUTTING_DOWN);
		for (PendingRun run : batch) {
			run.slices.completeExceptionally(refusal);
		}
	}

	private void counted(List<PendingRun> batch) {
		int total = 0;
		for (PendingRun run : batch) {
			total += run.count;
		}
		this.batches.increment();
		this.requests.add(batch.size());
		this.samples.add(total);
		for (BatchingListener listener : this.listeners) {
			listener.batchRun(batch.size(), total);
		}
	}

	// stack, run, split: each run's slices, views on the batch's output buffers
	private List<Map<String, Slice>> execute(List<PendingRun> batch, Map<String, ByteBuffer> scratch)
			throws OrtException {
		int[] counts = new int[batch.size()];
		int total = 0;
		for (int i = 0; i < counts.length; i++) {
			counts[i] = batch.get(i).count;
			total += counts[i];
		}
		PendingRun first = batch.get(0);
		Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
		Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
		Map<String, ByteBuffer> pinnedBytes = new HashMap<>();
		try {
			for (Map.Entry<String, Integer> input : this.layout.inputDimensions().entrySet()) {
				inputs.put(input.getKey(), stacked(input.getKey(), input.getValue(), batch, counts, total, scratch));
			}
			Set<String> computed = new LinkedHashSet<>();
			for (String output : first.outputs) {
				long[] shape = this.pinnable.get(output);
				if (shape == null) {
					computed.add(output);
					continue;
				}
				long[] atTotal = shape.clone();
				atTotal[this.layout.outputDimensions().get(output)] = total;
				TensorInfo info = this.layout.outputs().get(output);
				long elements = 1;
				for (long d : atTotal) {
					elements = Math.multiplyExact(elements, d);
				}
				ByteBuffer bytes = ByteBuffer.allocateDirect(Math.toIntExact(elements * info.type.size))
					.order(ByteOrder.nativeOrder());
				pinnedBytes.put(output, bytes);
				pinned.put(output, OnnxTensor.createTensor(this.environment, bytes, atTotal, info.type));
			}
			List<Map<String, Slice>> slices = new ArrayList<>(batch.size());
			for (int i = 0; i < counts.length; i++) {
				slices.add(new HashMap<>());
			}
			try (Result result = this.runner.run(inputs, computed, pinned)) {
				for (String output : first.outputs) {
					OnnxTensor tensor = pinned.get(output);
					ByteBuffer bytes = pinnedBytes.get(output);
					if (tensor == null) {
						tensor = (OnnxTensor) result.get(output).orElseThrow();
						ByteBuffer copy = tensor.getByteBuffer();
						bytes = ByteBuffer.allocateDirect(copy.remaining()).order(ByteOrder.nativeOrder());
						bytes.put(0, copy, copy.position(), copy.remaining());
					}
					split(output, tensor, bytes, counts, total, slices);
				}
			}
			return slices;
		}
		finally {
			inputs.values().forEach(OnnxTensor::close);
			pinned.values().forEach(OnnxTensor::close);
		}
	}

	private OnnxTensor stacked(String name, int dimension, List<PendingRun> batch, int[] counts, int total,
			Map<String, ByteBuffer> scratch) throws OrtException {
		PendingRun first = batch.get(0);
		TensorInfo info = this.layout.inputs().get(name);
		long[] shape = first.shapes.get(name).clone();
		if (dimension == BatchLayout.CONTROL) {
			Buffer value = first.data.get(name);
			int bytes = Math.toIntExact((long) value.remaining() * info.type.size);
			ByteBuffer target = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
			TensorBlocks.stack(List.of(value), new int[] { 1 }, 1, value.remaining(),
					TensorBlocks.typed(target, info.type));
			return OnnxTensor.createTensor(this.environment, target, shape, info.type);
		}
		shape[dimension] = total;
		long outer = TensorBlocks.outer(shape, dimension);
		long inner = TensorBlocks.inner(shape, dimension);
		int bytes = Math.toIntExact(Math.multiplyExact(outer * total * inner, (long) info.type.size));
		ByteBuffer target = scratch.get(name);
		if (target == null || target.capacity() < bytes) {
			target = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
			if (bytes <= RETAINED_BYTES) {
				scratch.put(name, target);
			}
		}
		List<Buffer> parts = new ArrayList<>(batch.size());
		for (PendingRun run : batch) {
			parts.add(run.data.get(name));
		}
		ByteBuffer view = target.slice(0, bytes).order(ByteOrder.nativeOrder());
		TensorBlocks.stack(parts, counts, outer, inner, TensorBlocks.typed(view, info.type));
		return OnnxTensor.createTensor(this.environment, view, shape, info.type);
	}

	private void split(String output, OnnxTensor tensor, ByteBuffer bytes, int[] counts, int total,
			List<Map<String, Slice>> slices) {
		long[] shape = tensor.getInfo().getShape();
		int dimension = this.layout.outputDimensions().get(output);
		if (dimension >= shape.length || shape[dimension] != total) {
			throw new IllegalStateException(
					"ONNX model '" + name() + "': output '" + output + "' has shape " + Arrays.toString(shape)
							+ " for a batch of " + total + ", not " + total + " at dimension " + dimension);
		}
		long outer = TensorBlocks.outer(shape, dimension);
		long innerBytes = TensorBlocks.inner(shape, dimension) * tensor.getInfo().type.size;
		ByteBuffer[] parts = TensorBlocks.split(bytes, counts, outer, innerBytes);
		for (int i = 0; i < counts.length; i++) {
			long[] own = shape.clone();
			own[dimension] = counts[i];
			slices.get(i).put(output, new Slice(parts[i], own, tensor.getInfo().type));
		}
	}

	private Result result(PendingRun run, Map<String, Slice> slices) throws OrtException {
		try {
			return this.results.result(slices, run.outputs);
		}
		catch (IllegalStateException ex) {
			// the batch ran, but shutdown closed the batcher's identity session before
			// this caller made its result: refused for the shutdown, as a queued run is
			if (isClosed()) {
				throw refusal(Reason.SHUTTING_DOWN);
			}
			throw ex;
		}
	}

	private boolean isClosed() {
		this.lock.lock();
		try {
			return this.closed;
		}
		finally {
			this.lock.unlock();
		}
	}

	private static Map<String, long[]> pinnable(BatchLayout layout) {
		Map<String, long[]> pinnable = new HashMap<>();
		layout.outputDimensions().forEach((output, dimension) -> {
			TensorInfo info = layout.outputs().get(output);
			long[] shape = info.getShape();
			boolean fixed = dimension >= 0 && dimension < shape.length;
			for (int d = 0; d < shape.length && fixed; d++) {
				fixed = d == dimension || shape[d] >= 0;
			}
			if (fixed && info.type.size > 0) {
				long[] template = shape.clone();
				template[dimension] = -1;
				pinnable.put(output, template);
			}
		});
		return pinnable;
	}

	private static RuntimeException rethrow(Throwable cause) throws OrtException {
		if (cause instanceof OrtException ortException) {
			throw ortException;
		}
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new IllegalStateException(cause);
	}

	private static Thread daemon(Runnable task, String name) {
		return OnnxThreads.named(name, task);
	}

	/**
	 * A run that goes alone.
	 */
	@FunctionalInterface
	public interface AloneRun extends AloneCall<Result> {

	}

	/**
	 * Work that runs alone, counted against the queue's bound.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	public interface AloneCall<T> {

		/**
		 * Run.
		 * @return the result
		 * @throws OrtException when ONNX Runtime fails
		 */
		T call() throws OrtException;

	}

}
