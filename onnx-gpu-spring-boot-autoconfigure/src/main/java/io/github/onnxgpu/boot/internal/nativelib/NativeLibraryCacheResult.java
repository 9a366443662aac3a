package io.github.onnxgpu.boot.internal.nativelib;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What the native library cache did at start-up, and the folder ONNX Runtime loads its
 * native libraries from as a result.
 *
 * @param status what happened
 * @param directory the folder {@code onnxruntime.native.path} points at, {@code null}
 * when ONNX Runtime unpacks its libraries to a temporary folder as usual (or the user
 * chose the path)
 * @param reason why, in words
 * @param timeSpent the time spent checking and, if needed, filling the cache
 */
public record NativeLibraryCacheResult(Status status, @Nullable Path directory, String reason, Duration timeSpent) {

	/**
	 * A result without a cache folder in use.
	 * @param status what happened
	 * @param reason why
	 * @param timeSpent the time spent
	 * @return the result
	 */
	public static NativeLibraryCacheResult without(Status status, String reason, Duration timeSpent) {
		return new NativeLibraryCacheResult(status, null, reason, timeSpent);
	}

	/**
	 * Whether ONNX Runtime loads its libraries from the cache folder.
	 * @return whether the cache is in use
	 */
	public boolean inUse() {
		return this.directory != null;
	}

	/**
	 * What the cache did.
	 */
	public enum Status {

		/**
		 * A complete cache was found and is used as it is.
		 */
		HIT,

		/**
		 * The cache was (re)built from the ONNX Runtime jar and is used.
		 */
		CREATED,

		/**
		 * The cache is switched off by configuration.
		 */
		DISABLED,

		/**
		 * The cache does not apply: the user chose where ONNX Runtime loads from, or
		 * there is no ONNX Runtime jar for this platform.
		 */
		SKIPPED,

		/**
		 * The cache could not be used, for example on a read-only or full disk, or
		 * because its folder holds files the cache did not create; ONNX Runtime unpacks
		 * its libraries to a temporary folder as usual.
		 */
		FAILED

	}

}
