package io.github.onnxgpu.boot.autoconfigure.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.tuning.TuningReport;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;

/**
 * Health of one model: UP when warm (or serving cold by configuration), OUT_OF_SERVICE
 * while it loads or warms up, DOWN when its warmup failed.
 */
class OnnxModelHealthIndicator implements HealthIndicator {

	private final ManagedModel model;

	OnnxModelHealthIndicator(ManagedModel model) {
		this.model = model;
	}

	@Override
	public Health health() {
		Health.Builder builder = switch (this.model.status()) {
			case READY, NOT_WARMED -> Health.up();
			case LOADING, WARMING -> Health.outOfService();
			case FAILED -> Health.down();
		};
		builder.withDetail("status", this.model.status()).withDetail("provider", this.model.provider().active());
		TuningReport tuning = this.model.tuningReport();
		if (tuning.status() != TuningStatus.DISABLED) {
			// where the settings in force came from: measured now, remembered, or not
			// at all
			builder.withDetail("tuning", tuning.status());
		}
		WarmupResult warmup = this.model.warmupResult();
		if (warmup != null) {
			builder.withDetail("warmupMillis", warmup.duration().toMillis());
			if (warmup.error() != null) {
				builder.withDetail("error", warmup.error());
			}
		}
		return builder.build();
	}

}
