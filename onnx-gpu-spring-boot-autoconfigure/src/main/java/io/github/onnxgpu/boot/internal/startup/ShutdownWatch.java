package io.github.onnxgpu.boot.internal.startup;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Ends the starter's waits during start-up when the JVM begins to shut down.
 * <p>
 * Start-up runs inside the context refresh, on the main thread, and Spring Boot's own
 * shutdown hook closes the context only once the refresh lets go of it: a download that
 * waits on a silent server would hold SIGTERM off until it gave up. A wait registers how
 * to abort it (such as cancelling the request) for as long as it lasts; a JVM shutdown
 * hook of its own, added on first use, runs those aborts at once, and the wait then fails
 * with a {@link StartupStoppedException}. Spring Boot's shutdown handlers would be too
 * late: they run after the contexts are closed.
 *
 * @since 0.1.0
 */
public final class ShutdownWatch {

	/**
	 * How long a stopped wait lets the JVM end before it fails the refresh instead.
	 */
	public static final Duration EXIT_WAIT = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(ShutdownWatch.class);

	private static final Set<Registration> WAITING = ConcurrentHashMap.newKeySet();

	private static volatile boolean shuttingDown;

	private static boolean hookAdded;

	private ShutdownWatch() {
	}

	/**
	 * Register a wait for as long as it lasts.
	 * @param abort ends the wait, such as by cancelling its request; run at most once, on
	 * the shutdown hook's thread (or this one when the JVM is already shutting down)
	 * @return the registration, to close when the wait ends
	 */
	public static Registration register(Runnable abort) {
		addHook();
		Registration registration = new Registration(abort);
		WAITING.add(registration);
		// after adding: either the hook sees this registration or this sees the flag
		if (shuttingDown) {
			registration.abort();
		}
		return registration;
	}

	/**
	 * Whether the JVM is shutting down, so that a failed wait is reported as stopped
	 * rather than as a fault.
	 * @return whether the shutdown hook has run
	 */
	public static boolean isShuttingDown() {
		return shuttingDown;
	}

	/**
	 * End a wait that shutdown stopped: log the line that says what was stopped, wait for
	 * the JVM to end, and fail only if it does not within {@link #EXIT_WAIT}.
	 * @param message what was stopped, such as {@code ONNX model 'detector': start-up
	 * stopped by shutdown while downloading https://host/det.onnx}, credentials masked
	 * @return the failure to throw, should the JVM still run
	 */
	public static StartupStoppedException stop(String message) {
		logger.info(message);
		if (isShuttingDown()) {
			awaitExit();
		}
		return new StartupStoppedException(message);
	}

	// parked without a timeout (WAITING), which Spring's close() takes for a thread that
	// will not return; its interrupt is cleared, or the next park would return at once
	private static void awaitExit() {
		Thread waiter = Thread.currentThread();
		long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
		Thread timer = new Thread(() -> {
			try {
				Thread.sleep(EXIT_WAIT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			LockSupport.unpark(waiter);
		}, "onnx-shutdown-watch-timer");
		timer.setDaemon(true);
		timer.start();
		boolean interrupted = false;
		while (System.nanoTime() - deadline < 0) {
			LockSupport.park(ShutdownWatch.class);
			interrupted |= Thread.interrupted();
		}
		if (interrupted) {
			waiter.interrupt();
		}
	}

	private static synchronized void addHook() {
		if (hookAdded) {
			return;
		}
		try {
			Runtime.getRuntime().addShutdownHook(new Thread(ShutdownWatch::shutdownBegan, "onnx-shutdown-watch"));
			hookAdded = true;
		}
		catch (IllegalStateException ex) {
			// the JVM is already shutting down
			shuttingDown = true;
		}
	}

	private static void shutdownBegan() {
		shuttingDown = true;
		WAITING.forEach(Registration::abort);
	}

	/**
	 * A wait in progress.
	 */
	public static final class Registration implements AutoCloseable {

		private final Runnable abort;

		private final AtomicBoolean aborted = new AtomicBoolean();

		private Registration(Runnable abort) {
			this.abort = abort;
		}

		private void abort() {
			if (this.aborted.compareAndSet(false, true)) {
				this.abort.run();
			}
		}

		/**
		 * The wait is over: a later shutdown leaves it alone.
		 */
		@Override
		public void close() {
			WAITING.remove(this);
		}

	}

}
