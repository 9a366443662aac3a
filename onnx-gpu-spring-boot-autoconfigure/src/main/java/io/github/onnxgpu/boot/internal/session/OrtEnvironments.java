package io.github.onnxgpu.boot.internal.session;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.OrtLogLevel;

/**
 * Gets ONNX Runtime's process-wide environment safely, and keeps its native side alive
 * until the JVM exits.
 */
public final class OrtEnvironments {

	private static final Log logger = LogFactory.getLog(OrtEnvironments.class);

	// ONNX Runtime 1.29 crashes the JVM (SIGSEGV) while initialising its native library
	// when the process's command line is long, as with the class path of an IDE or exec
	// launch: the stack it needs grows with the command line's length (about 300 bytes
	// per
	// byte, so from about 4 KB it overflows the default 1 MB thread stack). A long class
	// path read from an argument file or CLASSPATH does no harm. It needs the large stack
	// only once, so it is initialised on a thread of its own; 64 MB covers command lines
	// up
	// to about 200 KB.
	private static final long INITIALISATION_STACK_BYTES = 64L << 20;

	private static final Object holdMonitor = new Object();

	private static @Nullable Boolean held;

	private static final AtomicBoolean levelWarned = new AtomicBoolean();

	private OrtEnvironments() {
	}

	/**
	 * The environment, initialising ONNX Runtime on a thread with a large stack if this
	 * is its first use in the process, with ONNX Runtime's default log level (warning).
	 * @return the environment
	 */
	public static OrtEnvironment get() {
		return get(OrtLogLevel.WARNING);
	}

	/**
	 * The environment, initialising ONNX Runtime on a thread with a large stack if this
	 * is its first use in the process. The log level applies only when this creates the
	 * environment: ONNX Runtime has one per process. When it already exists with another
	 * level, one WARN line says so.
	 * @param logLevel the log level for the environment
	 * @return the environment
	 */
	public static OrtEnvironment get(OrtLogLevel logLevel) {
		OrtEnvironment environment = initialise(logLevel);
		checkLogLevel(logLevel);
		return environment;
	}

	private static void checkLogLevel(OrtLogLevel wanted) {
		OrtLogLevel actual;
		try {
			// ai.onnxruntime has no public getter for the level the environment was
			// created with; without it, nothing is reported
			Field level = OrtEnvironment.class.getDeclaredField("curLogLevel");
			level.setAccessible(true);
			actual = fromOrt((OrtLoggingLevel) level.get(null));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return;
		}
		if (actual != null && actual != wanted && levelWarned.compareAndSet(false, true)) {
			logger.warn("ONNX Runtime's environment was created before the starter's, with log level " + actual
					+ ", so the level " + wanted + " cannot apply: ONNX Runtime has one environment per process "
					+ "[property onnx.runtime.log-level]. Fix: do not call OrtEnvironment.getEnvironment() before "
					+ "the application context starts, or set onnx.runtime.log-level=" + actual.name().toLowerCase());
		}
	}

	private static @Nullable OrtLogLevel fromOrt(@Nullable OrtLoggingLevel level) {
		for (OrtLogLevel candidate : OrtLogLevel.values()) {
			if (candidate.toOrt() == level) {
				return candidate;
			}
		}
		return null;
	}

	private static OrtEnvironment initialise(OrtLogLevel logLevel) {
		AtomicReference<Object> outcome = new AtomicReference<>();
		Thread initialiser = new Thread(null, () -> {
			try {
				outcome.set(OrtEnvironment.getEnvironment(logLevel.toOrt(), OrtEnvironment.DEFAULT_NAME));
			}
			catch (Throwable ex) {
				outcome.set(ex);
			}
		}, "onnx-runtime-init", INITIALISATION_STACK_BYTES);
		initialiser.setDaemon(true);
		initialiser.start();
		try {
			// a timed join: Spring's close() takes a refresh thread that is WAITING for
			// stuck, interrupts it and gives up closing the context at all
			while (initialiser.isAlive()) {
				initialiser.join(100);
			}
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

	/**
	 * Take one reference to ONNX Runtime's native environment and never give it back, so
	 * that it outlives every session. ONNX Runtime's Java API registers a JVM shutdown
	 * hook that releases the native environment; the JVM starts all hooks at once, so
	 * without this the environment can be freed while a run, a session creation or a
	 * session close is still in flight (a SIGSEGV in {@code libonnxruntime.so}). The
	 * native environment counts references, so the hook then only drops its own, and the
	 * memory goes with the process. Calling this again does nothing more.
	 * @return whether the environment is held; {@code false} (after one WARN line) when
	 * this ONNX Runtime version does not offer the way to take a reference
	 */
	public static boolean holdUntilExit() {
		synchronized (holdMonitor) {
			if (held == null) {
				held = takeReference(get());
			}
			return held;
		}
	}

	private static boolean takeReference(OrtEnvironment environment) {
		try {
			// ai.onnxruntime has no public API for it: CreateEnv through the private JNI
			// entry point returns the process's singleton with one more reference
			Class<?> runtime = Class.forName("ai.onnxruntime.OnnxRuntime", true, OrtEnvironment.class.getClassLoader());
			Field apiHandle = runtime.getDeclaredField("ortApiHandle");
			apiHandle.setAccessible(true);
			Method createHandle = OrtEnvironment.class.getDeclaredMethod("createHandle", long.class, int.class,
					String.class);
			createHandle.setAccessible(true);
			long handle = (long) createHandle.invoke(null, apiHandle.getLong(null),
					OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING.getValue(), "onnx-gpu-spring-boot");
			Field nativeHandle = OrtEnvironment.class.getDeclaredField("nativeHandle");
			nativeHandle.setAccessible(true);
			if (handle != nativeHandle.getLong(environment)) {
				// not the process's singleton: holding it would not keep the environment
				// alive
				warnNotHeld(new IllegalStateException("CreateEnv returned a second environment"));
				return false;
			}
			return true;
		}
		catch (InvocationTargetException ex) {
			warnNotHeld(ex.getCause());
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			warnNotHeld(ex);
		}
		return false;
	}

	private static void warnNotHeld(Throwable reason) {
		logger.warn("ONNX Runtime's native environment cannot be held until the JVM exits (" + reason
				+ "), so ONNX Runtime's shutdown hook may release it while runs are in flight and crash the JVM "
				+ "on exit [property onnx.shutdown.hold-environment]. Fix: put ONNX Runtime 1.29 (found: "
				+ OrtEnvironment.getEnvironment().getVersion() + ") on the class path, not the module path, "
				+ "or set onnx.shutdown.hold-environment=false to skip this attempt");
	}

}
