package io.github.onnxgpu.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * {@link ObservationConvention} for runs through
 * {@link io.github.onnxgpu.boot.model.OnnxInference}. Declare a bean of this type to
 * replace {@link DefaultInferenceObservationConvention}.
 *
 * @since 0.1.0
 */
public interface InferenceObservationConvention extends ObservationConvention<InferenceContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof InferenceContext;
	}

}
