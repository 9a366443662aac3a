package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.onnxgpu.boot.internal.session.ManagedModel.SessionCall;

/**
 * The sessions serving one model (its instances) and their runs in flight. Runs go to the
 * least busy instance and are counted, so that no session is closed under one, which
 * would crash the JVM inside ONNX Runtime: a session replaced by tuning or a reload is
 * closed when its last run returns, and {@link #close} waits for the runs in flight.
 */
final class InstancePool {

	private static final Log logger = LogFactory.getLog(InstancePool.class);

	private final String name;

	// the first one loaded first; swapped as a whole by tuning and reloads
	private volatile List<Instance> instances;

	// where the search for the least busy instance starts, so that ties rotate
	private final AtomicInteger nextInstance = new AtomicInteger();

	// made once: a run through call allocates nothing of the starter's
	private final Supplier<Instance> leastBusy = this::leastBusy;

	// many runs share the read side; close takes the write side
	private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();

	private volatile boolean closing;

	private volatile boolean closed;

	InstancePool(String name, LoadedSession first) {
		this.name = name;
		this.instances = List.of(new Instance(first, 0));
	}

	<T> T call(SessionCall<T> work) throws OrtException {
		return runOn(this.leastBusy, work);
	}

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
				throw closedException();
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

	LoadedSession first() {
		return this.instances.get(0).loaded;
	}

	int size() {
		return this.instances.size();
	}

	List<InstanceState> states() {
		List<InstanceState> states = new ArrayList<>();
		for (Instance instance : this.instances) {
			LoadedSession loaded = instance.loaded;
			states.add(new InstanceState(instance.index, loaded.provider().active(),
					(loaded.provider().active() == OrtProvider.CPU) ? null : loaded.definition().cuda().deviceId(),
					instance.runs.sum(), instance.inFlight.get()));
		}
		return states;
	}

	void add(List<LoadedSession> added) {
		Lock lock = this.inFlight.writeLock();
		lock.lock();
		try {
			if (this.closing || this.closed) {
				added.forEach(LoadedSession::closeQuietly);
				throw closedException();
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
	 * Serve the model with other sessions: new runs go to them at once, runs in flight
	 * finish on the old ones, each closed when its last run returns.
	 * @param sessions the sessions from now on, in instance order
	 * @return whether every old session is closed already (none had a run in flight)
	 * @throws IllegalStateException when the pool is closing
	 */
	boolean replace(List<LoadedSession> sessions) {
		List<Instance> next = new ArrayList<>();
		for (LoadedSession loaded : sessions) {
			next.add(new Instance(loaded, next.size()));
		}
		List<Instance> previous;
		// under the read lock, so that close() does not run meanwhile
		Lock lock = this.inFlight.readLock();
		lock.lock();
		try {
			if (this.closing || this.closed) {
				throw closedException();
			}
			previous = this.instances;
			this.instances = List.copyOf(next);
		}
		finally {
			lock.unlock();
		}
		for (Instance instance : previous) {
			if (sessions.stream().noneMatch((kept) -> kept == instance.loaded)) {
				instance.retire();
			}
		}
		return previous.stream().allMatch((instance) -> instance.sessionClosed.get());
	}

	/**
	 * Give up the sessions, open, to another pool: this one then refuses runs and closes
	 * nothing.
	 * @return the sessions, in instance order
	 */
	List<LoadedSession> handOver() {
		Lock lock = this.inFlight.writeLock();
		lock.lock();
		try {
			if (this.closed) {
				throw closedException();
			}
			this.closed = true;
			return this.instances.stream().map((instance) -> instance.loaded).toList();
		}
		finally {
			lock.unlock();
		}
	}

	void beginClosing() {
		this.closing = true;
	}

	boolean isClosing() {
		return this.closing;
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Close every session once no run is in flight, even on an interrupted thread. When
	 * runs do not finish in time the sessions are left open (a leak) rather than closed
	 * under them (a crash).
	 * @param wait how long to wait for runs in flight
	 */
	void close(Duration wait) {
		this.closing = true;
		Lock lock = this.inFlight.writeLock();
		boolean locked = false;
		boolean interrupted = false;
		long deadline = System.nanoTime() + wait.toNanos();
		// an interrupt, as a poller stopped at shutdown sees, is no reason to leave the
		// sessions open: the wait goes on to its end, the interrupt kept for the caller
		while (true) {
			try {
				locked = lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		if (!locked) {
			logger.warn("ONNX model '" + this.name + "' still has runs in flight after " + wait
					+ "; its session is left open rather than closed under them");
			return;
		}
		try {
			if (!this.closed) {
				this.closed = true;
				// each one whatever another did: closed already by code that was handed
				// the raw session, or failing in ONNX Runtime
				for (Instance instance : this.instances) {
					instance.closeAtShutdown(this.name);
				}
			}
		}
		finally {
			lock.unlock();
		}
	}

	private IllegalStateException closedException() {
		return new IllegalStateException("ONNX model '" + this.name + "' is closed");
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

}
