package io.github.onnxgpu.benchmarks.trial;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.onnxgpu.benchmarks.trial.LoadReport.LoadPoint;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;

/**
 * Loads a call with concurrent callers and times every call: a closed loop (each caller
 * calls again as soon as its call returns) and an open loop (calls arrive on a fixed
 * schedule whether or not earlier ones have returned, latency counted from the scheduled
 * arrival). Each point has an untimed warm-up period, then a measured one. A call that
 * throws the starter's {@link OnnxModelBusyException} counts as refused, any other
 * exception as failed.
 */
public final class LoadGenerator {

	private static final long NO_ARRIVAL = Long.MIN_VALUE;

	private final Call call;

	private final int inputs;

	/**
	 * Create a generator.
	 * @param call the call, given which of the distinct inputs to use
	 * @param inputs how many distinct inputs there are
	 */
	public LoadGenerator(Call call, int inputs) {
		this.call = call;
		this.inputs = inputs;
	}

	/**
	 * A closed loop: {@code callers} threads each calling with its own input, again and
	 * again; the calls that start in the measured period are timed.
	 * @param callers the concurrent callers
	 * @param warmup the untimed period
	 * @param measured the measured period
	 * @return the point
	 */
	public LoadPoint closed(int callers, Duration warmup, Duration measured) {
		CountDownLatch ready = new CountDownLatch(callers);
		CountDownLatch go = new CountDownLatch(1);
		long[] window = new long[2];
		List<Recorder> recorders = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			int input = i % this.inputs;
			Recorder recorder = new Recorder();
			recorders.add(recorder);
			Thread thread = new Thread(() -> {
				ready.countDown();
				await(go);
				long measureFrom = window[0];
				long end = window[1];
				long start;
				while ((start = System.nanoTime()) < end) {
					Throwable error = call(input);
					long elapsed = System.nanoTime() - start;
					if (start >= measureFrom) {
						recorder.record(elapsed, error);
					}
				}
			}, "load-caller-" + i);
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
		await(ready);
		long start = System.nanoTime();
		window[0] = start + warmup.toNanos();
		window[1] = window[0] + measured.toNanos();
		// the latch publishes the window to the callers
		go.countDown();
		for (Thread thread : threads) {
			join(thread);
		}
		return Recorder.point(LoadPoint.CLOSED, callers, 0, 0, recorders, 0, 0, measured.toNanos() / 1e9);
	}

	/**
	 * An open loop: calls arrive at a fixed rate and are called from up to
	 * {@code maxThreads} threads (started as arrivals find none idle); an arrival that
	 * finds them all busy waits, and its latency counts the wait. The calls that arrive
	 * in the measured period are timed, from their scheduled arrival to their return; the
	 * throughput is their successes over the time from the start of the measured period
	 * to the last of them. Calls still running {@code measured} after the last arrival
	 * count as unfinished.
	 * @param rate arrivals per second
	 * @param fraction the rate as a fraction of the baseline, for the report
	 * @param maxThreads the most threads calling at once
	 * @param warmup the untimed period
	 * @param measured the measured period
	 * @return the point
	 */
	public LoadPoint open(double rate, double fraction, int maxThreads, Duration warmup, Duration measured) {
		BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
		AtomicInteger idle = new AtomicInteger();
		AtomicLong sequence = new AtomicLong();
		List<Recorder> recorders = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		long start = System.nanoTime();
		long measureFrom = start + warmup.toNanos();
		long stop = measureFrom + measured.toNanos();
		double interval = 1e9 / rate;
		long scheduled = 0;
		long arrivedInWindow = 0;
		for (long i = 0;; i++) {
			long arrival = start + Math.round(i * interval);
			if (arrival >= stop) {
				break;
			}
			long wait = arrival - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			arrivals.add(arrival);
			scheduled++;
			if (arrival >= measureFrom) {
				arrivedInWindow++;
			}
			if (idle.get() == 0 && threads.size() < maxThreads) {
				Recorder recorder = new Recorder();
				recorders.add(recorder);
				Thread thread = new Thread(() -> {
					while (true) {
						idle.incrementAndGet();
						Long next;
						try {
							next = arrivals.take();
						}
						catch (InterruptedException ex) {
							return;
						}
						finally {
							idle.decrementAndGet();
						}
						if (next == NO_ARRIVAL) {
							return;
						}
						Throwable error = call((int) (sequence.getAndIncrement() % this.inputs));
						long done = System.nanoTime();
						if (next >= measureFrom) {
							recorder.record(done - next, error, done);
						}
					}
				}, "load-open-" + threads.size());
				thread.setDaemon(true);
				threads.add(thread);
				thread.start();
			}
		}
		for (int i = 0; i < threads.size(); i++) {
			arrivals.add(NO_ARRIVAL);
		}
		long giveUp = stop + measured.toNanos();
		for (Thread thread : threads) {
			long left = giveUp - System.nanoTime();
			if (left > 0) {
				joinFor(thread, left);
			}
		}
		long now = System.nanoTime();
		long finished = recorders.stream().mapToLong(Recorder::count).sum();
		long unfinished = Math.max(0, arrivedInWindow - finished);
		// an unfinished call has waited at least from the last arrival to now
		long unfinishedWait = now - stop;
		long last = recorders.stream().mapToLong(Recorder::lastDone).max().orElse(stop);
		double seconds = (((unfinished > 0) ? now : Math.max(last, stop)) - measureFrom) / 1e9;
		for (Thread thread : threads) {
			thread.interrupt();
		}
		return Recorder.point(LoadPoint.OPEN, threads.size(), rate, fraction, recorders, unfinished, unfinishedWait,
				seconds);
	}

	private Throwable call(int input) {
		try {
			this.call.run(input);
			return null;
		}
		catch (Throwable ex) {
			return ex;
		}
	}

	/**
	 * Whether an exception is the starter's refusal.
	 * @param error the exception
	 * @return whether it or a cause is an {@link OnnxModelBusyException}
	 */
	static boolean refusal(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof OnnxModelBusyException) {
				return true;
			}
		}
		return false;
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private static void join(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private static void joinFor(Thread thread, long nanos) {
		try {
			TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/**
	 * One call of the load.
	 */
	@FunctionalInterface
	public interface Call {

		/**
		 * Call once.
		 * @param input which of the distinct inputs to use
		 * @throws Exception when the call fails or is refused
		 */
		void run(int input) throws Exception;

	}

	/**
	 * The outcomes of one thread's calls, read by the generator once the thread is done
	 * (or, for a thread still in a call, under its lock).
	 */
	static final class Recorder {

		private long[] latencies = new long[1024];

		private int successes;

		private long refused;

		private long failed;

		private long lastDone;

		private String firstError;

		synchronized void record(long nanos, Throwable error) {
			record(nanos, error, System.nanoTime());
		}

		synchronized void record(long nanos, Throwable error, long done) {
			this.lastDone = Math.max(this.lastDone, done);
			if (error == null) {
				if (this.successes == this.latencies.length) {
					this.latencies = Arrays.copyOf(this.latencies, this.latencies.length * 2);
				}
				this.latencies[this.successes++] = nanos;
			}
			else if (refusal(error)) {
				this.refused++;
			}
			else {
				this.failed++;
				if (this.firstError == null) {
					this.firstError = error.getClass().getName() + ": " + error.getMessage();
				}
			}
		}

		synchronized long count() {
			return this.successes + this.refused + this.failed;
		}

		synchronized long lastDone() {
			return this.lastDone;
		}

		static LoadPoint point(String loop, int callers, double rate, double fraction, List<Recorder> recorders,
				long unfinished, long unfinishedWait, double seconds) {
			int successes = 0;
			long refused = 0;
			long failed = 0;
			String firstError = null;
			List<long[]> parts = new ArrayList<>();
			for (Recorder recorder : recorders) {
				synchronized (recorder) {
					parts.add(Arrays.copyOf(recorder.latencies, recorder.successes));
					successes += recorder.successes;
					refused += recorder.refused;
					failed += recorder.failed;
					if (firstError == null) {
						firstError = recorder.firstError;
					}
				}
			}
			long[] all = new long[successes + (int) unfinished];
			int at = 0;
			for (long[] part : parts) {
				System.arraycopy(part, 0, all, at, part.length);
				at += part.length;
			}
			Arrays.fill(all, at, all.length, unfinishedWait);
			Arrays.sort(all);
			double mean = Arrays.stream(all).average().orElse(0) / 1e6;
			return new LoadPoint(loop, callers, rate, fraction, successes, refused, failed, unfinished, seconds,
					successes / seconds, percentile(all, 0.50), percentile(all, 0.95), percentile(all, 0.99),
					(all.length > 0) ? all[all.length - 1] / 1e6 : 0, mean, firstError);
		}

		// the nearest-rank percentile, in milliseconds; 0 without calls (the point shows
		// no completed call)
		static double percentile(long[] sorted, double quantile) {
			if (sorted.length == 0) {
				return 0;
			}
			int rank = (int) Math.ceil(quantile * sorted.length);
			return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
		}

	}

}
