package io.github.onnxgpu.boot.session;

import java.util.concurrent.atomic.AtomicReference;

import ai.onnxruntime.OrtEnvironment;

/**
 * Gets ONNX Runtime's process-wide environment safely.
 *
 * @since 0.1.0
 */
public final class OrtEnvironments {

	// ONNX Runtime 1.29 crashes the JVM (SIGSEGV) while initialising its native library
	// when
	// the process's command line is long, as with the class path of an IDE or exec
	// launch:
	// the stack it needs grows with the command line's length (about 300 bytes per byte,
	// so
	// from about 4 KB it overflows the default 1 MB thread stack). A long class path read
	// from an argument file or CLASSPATH does no harm. It needs the large stack only
	// once,
	// so it is initialised on a thread of its own; 64 MB covers command lines up to about
	// 200 KB.
	private static final long INITIALISATION_STACK_BYTES = 64L << 20;

	private OrtEnvironments() {
	}

	/**
	 * The environment, initialising ONNX Runtime on a thread with a large stack if this
	 * is its first use in the process.
	 * @return the environment
	 */
	public static OrtEnvironment get() {
		AtomicReference<Object> outcome = new AtomicReference<>();
		Thread initialiser = new Thread(null, () -> {
			try {
				outcome.set(OrtEnvironment.getEnvironment());
			}
			catch (Throwable ex) {
				outcome.set(ex);
			}
		}, "onnx-runtime-init", INITIALISATION_STACK_BYTES);
		initialiser.setDaemon(true);
		initialiser.start();
		try {
			initialiser.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while initialising ONNX Runtime", ex);
		}
		if (outcome.get() instanceof OrtEnvironment environment) {
			return environment;
		}
		Throwable failure = (Throwable) outcome.get();
		if (failure instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		throw new IllegalStateException("ONNX Runtime cannot be initialised", failure);
	}

}
