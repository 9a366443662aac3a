package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.warmup.WarmupData;
import io.github.onnxgpu.boot.warmup.WarmupFailureAction;

/**
 * Warmup settings, under {@code onnx.warmup} for all models and under
 * {@code onnx.models.<name>.warmup} for one. Every field is {@code null} when unset: a
 * model's unset value inherits the shared one (see {@link Inheritance}).
 *
 * @since 0.1.0
 */
public abstract class WarmupOptions {

	static final boolean DEFAULT_ENABLED = true;

	static final int DEFAULT_ITERATIONS = 3;

	static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

	static final WarmupFailureAction DEFAULT_ON_FAILURE = WarmupFailureAction.FAIL;

	static final WarmupData DEFAULT_DATA = WarmupData.ZEROS;

	/**
	 * Whether to warm models up when the application is ready, before it accepts traffic.
	 */
	private @Nullable Boolean enabled;

	/**
	 * Runs per warmup shape.
	 */
	private @Nullable Integer iterations;

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

	public @Nullable WarmupData getData() {
		return this.data;
	}

	public void setData(@Nullable WarmupData data) {
		this.data = data;
	}

}
