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

	public WarmupSettings {
		shapes = List.copyOf(shapes);
		sharedValues = Collections.unmodifiableMap(new LinkedHashMap<>(sharedValues));
		values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
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
		return new WarmupSettings(false, 0, 0, 0, Duration.ZERO, WarmupFailureAction.FAIL, WarmupData.ZEROS, List.of(),
				Map.of(), Map.of(), DataSize.ofBytes(0));
	}

}
