package io.github.onnxgpu.boot.warmup;

import java.time.Duration;
import java.util.List;

/**
 * How one model is warmed up.
 *
 * @param enabled whether to warm it up
 * @param iterations runs per shape
 * @param timeout longest time the whole warmup of the model may take
 * @param onFailure what a failure does
 * @param data what the inputs are filled with
 * @param shapes the configured warmup shapes
 * @since 0.1.0
 */
public record WarmupSettings(boolean enabled, int iterations, Duration timeout, WarmupFailureAction onFailure,
		WarmupData data, List<ConfiguredShape> shapes) {

	public WarmupSettings {
		shapes = List.copyOf(shapes);
	}

	/**
	 * Settings that skip warmup.
	 * @return disabled settings
	 */
	public static WarmupSettings disabled() {
		return new WarmupSettings(false, 0, Duration.ZERO, WarmupFailureAction.FAIL, WarmupData.ZEROS, List.of());
	}

}
