package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.internal.warmup.WarmupSettings;
import io.github.onnxgpu.boot.model.WarmupData;
import io.github.onnxgpu.boot.model.WarmupFailureAction;

/**
 * Warmup settings, under {@code onnx.warmup} for all models and under
 * {@code onnx.models.<name>.warmup} for one. Every field is {@code null} when unset: a
 * model's unset value inherits the shared one (see {@link Inheritance}).
 *
 * @since 0.1.0
 */
public abstract class WarmupOptions {

	static final boolean DEFAULT_ENABLED = WarmupSettings.DEFAULT_ENABLED;

	static final int DEFAULT_ITERATIONS = 3;

	static final int DEFAULT_MAX_ITERATIONS = WarmupSettings.DEFAULT_MAX_ITERATIONS;

	static final double DEFAULT_STEADY_TOLERANCE = WarmupSettings.DEFAULT_STEADY_TOLERANCE;

	static final Duration DEFAULT_TIMEOUT = WarmupSettings.DEFAULT_TIMEOUT;

	static final WarmupFailureAction DEFAULT_ON_FAILURE = WarmupSettings.DEFAULT_ON_FAILURE;

	static final WarmupData DEFAULT_DATA = WarmupData.ZEROS;

	static final DataSize DEFAULT_MAX_INPUT_SIZE = WarmupSettings.DEFAULT_MAX_INPUT_SIZE;

	/**
	 * Whether to warm models up when the application is ready, before it accepts traffic.
	 */
	private @Nullable Boolean enabled;

	/**
	 * Fewest runs per warmup shape.
	 */
	private @Nullable Integer iterations;

	/**
	 * Most runs per warmup shape: after the fewest, a shape runs on until its last three
	 * runs are within the steady-state tolerance of their median, this many runs, or the
	 * timeout.
	 */
	private @Nullable Integer maxIterations;

	/**
	 * How far the last three runs of a warmup shape may be from their median, as a
	 * fraction of it, for the shape to count as steady: 0.1 is 10%.
	 */
	private @Nullable Double steadyTolerance;

	/**
	 * Longest time one model's warmup may take before it is stopped and counted as
	 * failed.
	 */
	private @Nullable Duration timeout;

	/**
	 * What to do when a model's warmup fails.
	 */
	private @Nullable WarmupFailureAction onFailure;

	/**
	 * What the warmup input tensors are filled with.
	 */
	private @Nullable WarmupData data;

	/**
	 * Most bytes of input one warmup sample may have, all its inputs together: a larger
	 * sample (a mistyped dimension, such as 6400 for 640) is refused at start-up before
	 * it runs, as its run would take memory of that order and more.
	 */
	private @Nullable DataSize maxInputSize;

	/**
	 * Values of control inputs (sample rates, thresholds, lengths, flags) by input name:
	 * every element of the input is set to the value, converted to its element type.
	 */
	private Map<String, String> values = new LinkedHashMap<>();

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Integer getIterations() {
		return this.iterations;
	}

	public void setIterations(@Nullable Integer iterations) {
		this.iterations = iterations;
	}

	public @Nullable Integer getMaxIterations() {
		return this.maxIterations;
	}

	public void setMaxIterations(@Nullable Integer maxIterations) {
		this.maxIterations = maxIterations;
	}

	public @Nullable Double getSteadyTolerance() {
		return this.steadyTolerance;
	}

	public void setSteadyTolerance(@Nullable Double steadyTolerance) {
		this.steadyTolerance = steadyTolerance;
	}

	public Map<String, String> getValues() {
		return this.values;
	}

	public void setValues(Map<String, String> values) {
		this.values = values;
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public @Nullable WarmupFailureAction getOnFailure() {
		return this.onFailure;
	}

	public void setOnFailure(@Nullable WarmupFailureAction onFailure) {
		this.onFailure = onFailure;
	}

	public @Nullable DataSize getMaxInputSize() {
		return this.maxInputSize;
	}

	public void setMaxInputSize(@Nullable DataSize maxInputSize) {
		this.maxInputSize = maxInputSize;
	}

	public @Nullable WarmupData getData() {
		return this.data;
	}

	public void setData(@Nullable WarmupData data) {
		this.data = data;
	}

}
