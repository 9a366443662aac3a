package io.github.onnxgpu.boot.observation;

import io.micrometer.common.KeyValues;

/**
 * The default {@link InferenceObservationConvention}: observations named
 * {@code onnx.inference} with the low-cardinality keys {@code model}, {@code provider}
 * and {@code outcome} ({@code success} or {@code error}), which become the tags of the
 * {@code onnx.inference} timer.
 *
 * @since 0.1.0
 */
public class DefaultInferenceObservationConvention implements InferenceObservationConvention {

	/**
	 * The name of the observation and of the timer made from it.
	 */
	public static final String NAME = "onnx.inference";

	/**
	 * A shared instance.
	 */
	public static final DefaultInferenceObservationConvention INSTANCE = new DefaultInferenceObservationConvention();

	private static final String SUCCESS = "success";

	private static final String ERROR = "error";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(InferenceContext context) {
		return "onnx inference " + context.getModelName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(InferenceContext context) {
		return KeyValues.of("model", context.getModelName(), "provider", context.getProvider(), "outcome",
				(context.getError() != null) ? ERROR : SUCCESS);
	}

}
