package io.github.onnxgpu.boot.internal.batching;

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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
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
 * queue, up to the largest warmed batch size they fill, once the first has waited
 * {@code max-delay} or the batch is full, stack them, run them as one on the model, and
 * hand each caller its slice, which the caller turns into its own {@link Result}. A run
 * left in the queue for {@code timeout} is refused. Callers block on a future, never
 * inside ONNX Runtime, so virtual threads are not pinned by the model's run.
 */
public final class Batcher {

	private static final Log logger = LogFactory.getLog(Batcher.class);

	private final BatchLayout layout;

	private final BatchingSettings settings;

	private final BatchRunner runner;

	private final OrtEnvironment environment;

	private final ResultFactory results;

	private final List<Integer> sizes;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<PendingRun> queue = new ArrayDeque<>();

	private final List<Thread> workers = new ArrayList<>();

	private final ScheduledThreadPoolExecutor timer;

	private final List<BatchingListener> listeners = new CopyOnWriteArrayList<>();

	private final LongAdder batches = new LongAdder();

	private final LongAdder requests = new LongAdder();

	private final LongAdder samples = new LongAdder();

	private final LongAdder refusedQueueFull = new LongAdder();

	private final LongAdder refusedTimeout = new LongAdder();

	private final LongAdder refusedShuttingDown = new LongAdder();

	// guarded by lock
	private boolean closed;

	private boolean started;

	private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

	private Batcher(BatchLayout layout, BatchingSettings settings, BatchRunner runner, OrtEnvironment environment,
			ResultFactory results) {
		this.layout = layout;
		this.settings = settings;
		this.runner = runner;
		this.environment = environment;
		this.results = results;
		this.sizes = settings.batchSizes();
		this.timer = new ScheduledThreadPoolExecutor(1, (task) -> daemon(task, "onnx-batch-timer-" + name()));
		this.timer.setRemoveOnCancelPolicy(true);
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
		ResultFactory results;
		try {
			results = ResultFactory.create(environment, layout.outputs());
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
	 * @return the caller's result, or {@code null} when this run cannot be batched (not
	 * all tensors, a batch count beyond the largest batch, another set of inputs): the
	 * caller runs it alone then
	 * @throws OrtException when ONNX Runtime fails to run the batch
	 * @throws OnnxModelBusyException when the run is refused
	 */
	public @Nullable Result run(Map<String, ? extends OnnxTensorLike> inputs, @Nullable Set<String> requestedOutputs)
			throws OrtException {
		PendingRun run = prepare(inputs, requestedOutputs);
		if (run == null) {
			return null;
		}
		enqueue(run);
		Map<String, Slice> slices;
		try {
			slices = run.slices.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			expire(run, Reason.SHUTTING_DOWN);
			throw new IllegalStateException("Interrupted while waiting for ONNX model '" + name() + "'", ex);
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
		return result(run, slices);
	}

	/**
	 * Run through a batch without waiting.
	 * @param inputs the inputs, which the caller may close once this returns
	 * @param requestedOutputs the outputs, {@code null} for all
	 * @return the result to come, or {@code null} when this run cannot be batched
	 */
	public @Nullable CompletableFuture<Result> runAsync(Map<String, ? extends OnnxTensorLike> inputs,
			@Nullable Set<String> requestedOutputs) {
		PendingRun run;
		try {
			run = prepare(inputs, requestedOutputs);
			if (run == null) {
				return null;
			}
			enqueue(run);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return run.slices.thenApply((slices) -> {
			try {
				return result(run, slices);
			}
			catch (OrtException ex) {
				throw new CompletionException(ex);
			}
		});
	}

	/**
	 * What the batcher has done so far.
	 * @return the figures
	 */
	public BatchingStats stats() {
		int depth;
		this.lock.lock();
		try {
			depth = this.queue.size();
		}
		finally {
			this.lock.unlock();
		}
		return new BatchingStats(depth, this.batches.sum(), this.requests.sum(), this.samples.sum(),
				this.refusedQueueFull.sum(), this.refusedTimeout.sum(), this.refusedShuttingDown.sum(),
				this.workers.size());
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
	 * batcher's own session. Left open if a caller still makes its result after the wait.
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
		this.timer.shutdownNow();
		this.results.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
	}

	private String name() {
		return this.layout.modelName();
	}

	private @Nullable PendingRun prepare(Map<String, ? extends OnnxTensorLike> inputs,
			@Nullable Set<String> requestedOutputs) {
		Map<String, TensorInfo> modelInputs = this.layout.inputs();
		if (!inputs.keySet().equals(modelInputs.keySet())) {
			return null;
		}
		List<String> outputs = (requestedOutputs != null) ? new ArrayList<>(requestedOutputs)
				: new ArrayList<>(this.layout.outputs().keySet());
		if (outputs.isEmpty() || !this.layout.outputs().keySet().containsAll(outputs)) {
			return null;
		}
		Map<String, ByteBuffer> data = new HashMap<>();
		Map<String, long[]> shapes = new HashMap<>();
		List<Object> parts = new ArrayList<>();
		long count = -1;
		for (Map.Entry<String, TensorInfo> input : modelInputs.entrySet()) {
			if (!(inputs.get(input.getKey()) instanceof OnnxTensor tensor)
					|| tensor.getInfo().type != input.getValue().type) {
				return null;
			}
			long[] shape = tensor.getInfo().getShape();
			int dimension = this.layout.inputDimensions().get(input.getKey());
			ByteBuffer bytes = tensor.getByteBuffer();
			if (dimension == BatchLayout.CONTROL) {
				parts.add(Arrays.toString(shape));
				parts.add(bytes);
			}
			else {
				if (dimension >= shape.length || (count >= 0 && shape[dimension] != count)) {
					return null;
				}
				count = shape[dimension];
				long[] rest = shape.clone();
				rest[dimension] = -1;
				parts.add(Arrays.toString(rest));
			}
			data.put(input.getKey(), bytes);
			shapes.put(input.getKey(), shape);
		}
		if (count < 1 || count > this.settings.maxBatchSize()) {
			return null;
		}
		return new PendingRun(data, shapes, (int) count, List.copyOf(outputs), new BatchKey(outputs, parts),
				System.nanoTime());
	}

	private void enqueue(PendingRun run) {
		Reason refused = null;
		this.lock.lock();
		try {
			if (this.closed) {
				refused = Reason.SHUTTING_DOWN;
			}
			else if (this.queue.size() >= this.settings.queueSize()) {
				refused = Reason.QUEUE_FULL;
			}
			else {
				this.queue.addLast(run);
				this.changed.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
		if (refused != null) {
			throw refusal(refused);
		}
		try {
			run.expiry = this.timer.schedule(() -> expire(run, Reason.TIMEOUT), this.settings.timeout().toNanos(),
					TimeUnit.NANOSECONDS);
		}
		catch (RuntimeException ex) {
			// the timer stopped: shutdown refuses the queue
		}
	}

	private void expire(PendingRun run, Reason reason) {
		this.lock.lock();
		try {
			if (run.state != State.QUEUED) {
				return;
			}
			run.state = State.EXPIRED;
			this.queue.remove(run);
		}
		finally {
			this.lock.unlock();
		}
		run.slices.completeExceptionally(refusal(reason));
	}

	private OnnxModelBusyException refusal(Reason reason) {
		String prefix = "ONNX model '" + name() + "'";
		String message = switch (reason) {
			case QUEUE_FULL -> {
				this.refusedQueueFull.increment();
				yield prefix + " is busy: " + this.settings.queueSize() + " runs already wait for a batch [property "
						+ OnnxModelException.modelProperty(name(), "batching.queue-size")
						+ "]. Retry later, or add instances or replicas";
			}
			case TIMEOUT -> {
				this.refusedTimeout.increment();
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
			runBatch(batch, scratch);
		}
	}

	private @Nullable List<PendingRun> nextBatch() {
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
				int available = 0;
				for (PendingRun run : this.queue) {
					if (run.key.equals(head.key)) {
						available += run.count;
					}
				}
				long waited = System.nanoTime() - head.arrival;
				long left = this.settings.maxDelay().toNanos() - waited;
				if (available < this.settings.maxBatchSize() && left > 0) {
					this.changed.awaitNanos(left);
					continue;
				}
				return take(head, available);
			}
		}
		catch (InterruptedException ex) {
			return null;
		}
		finally {
			this.lock.unlock();
		}
	}

	// the largest warmed size the compatible runs fill, so that no batch meets a cold
	// shape; a run whose own count exceeds it goes alone
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
		int[] counts = new int[batch.size()];
		int total = 0;
		for (int i = 0; i < counts.length; i++) {
			PendingRun run = batch.get(i);
			ScheduledFuture<?> expiry = run.expiry;
			if (expiry != null) {
				expiry.cancel(false);
			}
			counts[i] = run.count;
			total += run.count;
			for (BatchingListener listener : this.listeners) {
				listener.queued(now - run.arrival);
			}
		}
		PendingRun first = batch.get(0);
		Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, Integer> input : this.layout.inputDimensions().entrySet()) {
				inputs.put(input.getKey(), stacked(input.getKey(), input.getValue(), batch, counts, total, scratch));
			}
			List<Map<String, Slice>> slices = new ArrayList<>();
			for (int i = 0; i < counts.length; i++) {
				slices.add(new HashMap<>());
			}
			try (Result result = this.runner.run(inputs, new LinkedHashSet<>(first.outputs))) {
				for (String output : first.outputs) {
					split(output, result, counts, total, slices);
				}
			}
			this.batches.increment();
			this.requests.add(batch.size());
			this.samples.add(total);
			for (BatchingListener listener : this.listeners) {
				listener.batchRun(batch.size(), total);
			}
			for (int i = 0; i < counts.length; i++) {
				batch.get(i).slices.complete(slices.get(i));
			}
		}
		catch (Throwable ex) {
			Throwable failure = (isClosed() && ex instanceof IllegalStateException) ? refusal(Reason.SHUTTING_DOWN)
					: ex;
			if (!(failure instanceof OnnxModelBusyException)) {
				logger.debug("ONNX model '" + name() + "': a batch of " + total + " failed", ex);
			}
			for (PendingRun run : batch) {
				run.slices.completeExceptionally(failure);
			}
		}
		finally {
			inputs.values().forEach(OnnxTensor::close);
		}
	}

	private OnnxTensor stacked(String name, int dimension, List<PendingRun> batch, int[] counts, int total,
			Map<String, ByteBuffer> scratch) throws OrtException {
		PendingRun first = batch.get(0);
		TensorInfo info = this.layout.inputs().get(name);
		if (dimension == BatchLayout.CONTROL) {
			ByteBuffer value = first.data.get(name);
			ByteBuffer direct = ByteBuffer.allocateDirect(value.remaining()).order(ByteOrder.nativeOrder());
			direct.put(0, value, value.position(), value.remaining());
			return OnnxTensor.createTensor(this.environment, direct, first.shapes.get(name), info.type);
		}
		long[] shape = first.shapes.get(name).clone();
		shape[dimension] = total;
		long outer = TensorBlocks.outer(shape, dimension);
		long inner = TensorBlocks.innerBytes(shape, dimension, info.type.size);
		int bytes = Math.toIntExact(outer * total * inner);
		ByteBuffer target = scratch.get(name);
		if (target == null || target.capacity() < bytes) {
			target = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
			scratch.put(name, target);
		}
		List<ByteBuffer> parts = new ArrayList<>(batch.size());
		for (PendingRun run : batch) {
			parts.add(run.data.get(name));
		}
		target.limit(target.capacity());
		TensorBlocks.stack(parts, counts, outer, inner, target);
		return OnnxTensor.createTensor(this.environment, target, shape, info.type);
	}

	private void split(String output, Result result, int[] counts, int total, List<Map<String, Slice>> slices) {
		OnnxValue value = result.get(output).orElseThrow();
		OnnxTensor tensor = (OnnxTensor) value;
		long[] shape = tensor.getInfo().getShape();
		int dimension = this.layout.outputDimensions().get(output);
		if (dimension >= shape.length || shape[dimension] != total) {
			throw new IllegalStateException(
					"ONNX model '" + name() + "': output '" + output + "' has shape " + Arrays.toString(shape)
							+ " for a batch of " + total + ", not " + total + " at dimension " + dimension);
		}
		long outer = TensorBlocks.outer(shape, dimension);
		long inner = TensorBlocks.innerBytes(shape, dimension, tensor.getInfo().type.size);
		ByteBuffer[] parts = TensorBlocks.split(tensor.getByteBuffer(), counts, outer, inner);
		for (int i = 0; i < counts.length; i++) {
			long[] own = shape.clone();
			own[dimension] = counts[i];
			slices.get(i).put(output, new Slice(parts[i], own, tensor.getInfo().type));
		}
	}

	private Result result(PendingRun run, Map<String, Slice> slices) throws OrtException {
		Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, Slice> slice : slices.entrySet()) {
				Slice part = slice.getValue();
				tensors.put(slice.getKey(),
						OnnxTensor.createTensor(this.environment, part.data(), part.shape(), part.type()));
			}
			return this.results.result(tensors, run.outputs);
		}
		catch (IllegalStateException ex) {
			// the batch ran, but shutdown closed the batcher before this caller made its
			// result: refused for the shutdown, as a queued run is
			if (isClosed()) {
				throw refusal(Reason.SHUTTING_DOWN);
			}
			throw ex;
		}
		finally {
			tensors.values().forEach(OnnxTensor::close);
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

}
