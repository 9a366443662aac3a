package io.github.onnxgpu.boot.observation;

import io.micrometer.observation.Observation;

/**
 * The {@link Observation.Context} of one run through
 * {@link io.github.onnxgpu.boot.model.OnnxInference}. The run's failure, if any, is the
 * context's {@link #getError() error}.
 *
 * @since 0.1.0
 */
public class InferenceContext extends Observation.Context {

	private final String modelName;

	private final String provider;

	/**
	 * Create a context for a run.
	 * @param modelName the model that runs
	 * @param provider the execution provider that runs it, such as {@code CUDA}
	 */
	public InferenceContext(String modelName, String provider) {
		this.modelName = modelName;
		this.provider = provider;
	}

	/**
	 * The model that runs.
	 * @return its name
	 */
	public String getModelName() {
		return this.modelName;
	}

	/**
	 * The execution provider that runs the model.
	 * @return its name, such as {@code CUDA} or {@code CPU}
	 */
	public String getProvider() {
		return this.provider;
	}

}
