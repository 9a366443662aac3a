package io.github.onnxgpu.boot.internal.startup;

/**
 * Start-up was stopped by a JVM shutdown while the starter waited, such as for a remote
 * model, and the JVM did not end meanwhile (see {@link ShutdownWatch}). Not a fault:
 * {@link StartupStoppedReporter} keeps it from being reported as a start-up failure.
 *
 * @since 0.1.0
 */
public class StartupStoppedException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what was stopped, such as {@code ONNX model 'detector': start-up
	 * stopped by shutdown while downloading https://host/det.onnx}
	 */
	public StartupStoppedException(String message) {
		// no stack trace: it is never shown, and a shutdown is no place to fill one
		super(message, null, false, false);
	}

}
