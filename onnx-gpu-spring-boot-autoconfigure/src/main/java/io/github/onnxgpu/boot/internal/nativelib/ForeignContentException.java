package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when the native library cache's folder holds something the cache did not create,
 * which it therefore leaves alone instead of replacing.
 */
public class ForeignContentException extends IOException {

	private final Path directory;

	/**
	 * Create an exception.
	 * @param directory the cache folder
	 * @param content what is there, in words, such as "is a file, not a folder"
	 */
	public ForeignContentException(Path directory, String content) {
		super("The native library cache folder " + directory + " " + content
				+ "; the cache never deletes or replaces anything it did not create. Set"
				+ " onnx.native.cache.directory to a new or empty folder that belongs to the cache alone,"
				+ " or remove the property to use the default folder");
		this.directory = directory;
	}

	/**
	 * The cache folder.
	 * @return the folder
	 */
	public Path getDirectory() {
		return this.directory;
	}

}
