package io.github.onnxgpu.boot.internal.warmup.npy;

/**
 * A file cannot be read as a NumPy {@code .npy} array this starter supports. The message
 * names the file and what is wrong with it.
 */
public class NpyFormatException extends RuntimeException {

	NpyFormatException(String message) {
		super(message);
	}

	NpyFormatException(String message, Throwable cause) {
		super(message, cause);
	}

}
