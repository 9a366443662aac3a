package io.github.onnxgpu.boot.internal.nativelib;

import java.time.Duration;

import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult.Status;

/**
 * What the native library cache did last in this JVM: it runs before any application
 * context exists (an environment post-processor), and ONNX Runtime's native path is per
 * JVM, so the outcome is kept here for the beans that show or use it.
 */
public final class NativeLibraryCacheResults {

	private static final NativeLibraryCacheResult NOT_RUN = NativeLibraryCacheResult.without(Status.SKIPPED,
			"the native library cache did not run in this JVM", Duration.ZERO);

	private static volatile NativeLibraryCacheResult last = NOT_RUN;

	private NativeLibraryCacheResults() {
	}

	/**
	 * The outcome of the last run in this JVM.
	 * @return the outcome, {@link Status#SKIPPED} when it has not run
	 */
	public static NativeLibraryCacheResult last() {
		return last;
	}

	/**
	 * Record the outcome of a run.
	 * @param result the outcome
	 */
	public static void record(NativeLibraryCacheResult result) {
		last = result;
	}

	/**
	 * Forget every run, as in a fresh JVM.
	 */
	public static void reset() {
		last = NOT_RUN;
	}

}
