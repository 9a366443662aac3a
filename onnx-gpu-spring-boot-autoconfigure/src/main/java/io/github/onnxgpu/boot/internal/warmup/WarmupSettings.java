package io.github.onnxgpu.boot.internal.warmup;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.model.WarmupData;
import io.github.onnxgpu.boot.model.WarmupFailureAction;

/**
 * How one model is warmed up.
 *
 * @param enabled whether to warm it up
 * @param iterations the fewest runs per shape
 * @param maxIterations the most runs per shape while it is not steady
 * @param steadyTolerance how far the last three runs may be from their median, as a
 * fraction of it
 * @param timeout longest time the whole warmup of the model may take
 * @param onFailure what a failure does
 * @param data what the inputs are filled with
 * @param shapes the configured warmup shapes
 * @param sharedValues values of control inputs for all models, by input name
 * @param values values of control inputs for this model, by input name
 * @param maxInputSize the most bytes of input one warmup sample may have
 */
public record WarmupSettings(boolean enabled, int iterations, int maxIterations, double steadyTolerance,
		Duration timeout, WarmupFailureAction onFailure, WarmupData data, List<ConfiguredShape> shapes,
		Map<String, String> sharedValues, Map<String, String> values, DataSize maxInputSize) {

	/**
	 * Most bytes of input per warmup sample unless configured: far above a real request
	 * (a 1x3x640x640 float image is 4.9 MB, a batch of 32 of them 157 MB), far below what
	 * a mistyped dimension asks for (1x3x6400x6400 is 492 MB of input, and gigabytes of
	 * activations).
	 */
	public static final DataSize DEFAULT_MAX_INPUT_SIZE = DataSize.ofMegabytes(256);

	/**
	 * Whether models are warmed up unless configured.
	 */
	public static final boolean DEFAULT_ENABLED = true;

	/**
	 * How long a warmup may take unless configured.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

	/**
	 * What a failed warmup does unless configured.
	 */
	public static final WarmupFailureAction DEFAULT_ON_FAILURE = WarmupFailureAction.FAIL;

	/**
	 * Most runs per shape unless configured.
	 */
	public static final int DEFAULT_MAX_ITERATIONS = 20;

	/**
	 * Steady-state tolerance unless configured: 10%.
	 */
	public static final double DEFAULT_STEADY_TOLERANCE = 0.1;

	public WarmupSettings {
		shapes = List.copyOf(shapes);
		sharedValues = Collections.unmodifiableMap(new LinkedHashMap<>(sharedValues));
		values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
	}

	public WarmupSettings(boolean enabled, int iterations, Duration timeout, WarmupFailureAction onFailure,
			WarmupData data, List<ConfiguredShape> shapes) {
		this(enabled, iterations, DEFAULT_MAX_ITERATIONS, DEFAULT_STEADY_TOLERANCE, timeout, onFailure, data, shapes,
				Map.of(), Map.of(), DEFAULT_MAX_INPUT_SIZE);
	}

	/**
	 * When a shape has run enough.
	 * @return the rule
	 */
	public SteadyState steadyState() {
		return new SteadyState(this.iterations, this.maxIterations, this.steadyTolerance);
	}

	/**
	 * These settings with another timeout, as for one tuning candidate, which gets what
	 * is left of the model's.
	 * @param timeout the timeout
	 * @return the settings
	 */
	public WarmupSettings withTimeout(Duration timeout) {
		return new WarmupSettings(this.enabled, this.iterations, this.maxIterations, this.steadyTolerance, timeout,
				this.onFailure, this.data, this.shapes, this.sharedValues, this.values, this.maxInputSize);
	}

	/**
	 * Settings that skip warmup.
	 * @return disabled settings
	 */
	public static WarmupSettings disabled() {
		return new WarmupSettings(false, 0, Duration.ZERO, WarmupFailureAction.FAIL, WarmupData.ZEROS, List.of());
	}

}
