package io.github.onnxgpu.boot.internal.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;

/**
 * Micrometer metrics of model reloads: a counter per model and outcome that reads each
 * model's reload history.
 */
public class OnnxReloadMetrics implements MeterBinder {

	/**
	 * Counter: reloads of a model, tagged {@code outcome} {@code swapped} (the new
	 * version serves) or {@code failed} (refused, the old version serving on).
	 */
	public static final String RELOADS = "onnx.model.reloads";

	private final ManagedModelRegistry registry;

	public OnnxReloadMetrics(ManagedModelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		for (ManagedModel model : this.registry.models()) {
			FunctionCounter.builder(RELOADS, model, (m) -> m.reloads().swapped())
				.description("Reloads of the model: new versions swapped in, or refused")
				.tags("model", model.name(), "outcome", "swapped")
				.register(meterRegistry);
			FunctionCounter.builder(RELOADS, model, (m) -> m.reloads().failed())
				.description("Reloads of the model: new versions swapped in, or refused")
				.tags("model", model.name(), "outcome", "failed")
				.register(meterRegistry);
		}
	}

}
