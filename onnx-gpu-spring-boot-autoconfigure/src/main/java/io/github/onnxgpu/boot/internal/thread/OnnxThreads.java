package io.github.onnxgpu.boot.internal.thread;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one factory of the starter's threads (warmup, reload polling, batch workers,
 * background hashing): each named after its job, {@code onnx-<job>-<n>}, so that a thread
 * dump shows whose it is, and a daemon, so that none of them keeps the JVM alive once the
 * application has stopped; the lifecycle stops them before the sessions close.
 */
public final class OnnxThreads {

	private OnnxThreads() {
	}

	/**
	 * A factory of named daemon threads.
	 * @param prefix the start of each thread's name, such as {@code onnx-warmup-}; a
	 * number counting from 1 follows it
	 * @return the factory
	 */
	public static ThreadFactory factory(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> named(prefix + count.incrementAndGet(), runnable);
	}

	/**
	 * A named daemon thread, not started.
	 * @param name its whole name
	 * @param runnable what it runs
	 * @return the thread
	 */
	public static Thread named(String name, Runnable runnable) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

}
