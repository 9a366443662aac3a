package io.github.onnxgpu.boot.session;

/**
 * Told about every run made through {@link OnnxInference}, for metrics and tracing.
 * Called on the inference thread: keep it cheap.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface InferenceListener {

	/**
	 * A run finished.
	 * @param model the model that ran
	 * @param nanos how long the run took
	 * @param failure what the run threw, or {@code null} when it succeeded
	 */
	void onRun(OnnxModel model, long nanos, Throwable failure);

}
