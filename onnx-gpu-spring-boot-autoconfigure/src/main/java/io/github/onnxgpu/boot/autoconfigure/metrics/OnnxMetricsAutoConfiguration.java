package io.github.onnxgpu.boot.autoconfigure.metrics;

import ai.onnxruntime.OrtEnvironment;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.annotation.Bean;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.metrics.OnnxMetrics;
import io.github.onnxgpu.boot.internal.metrics.OnnxReloadMetrics;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for {@link OnnxMetrics}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { OnnxAutoConfiguration.class, MetricsAutoConfiguration.class,
		CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class })
@ConditionalOnClass({ OrtEnvironment.class, MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ MeterRegistry.class, ManagedModelRegistry.class })
public final class OnnxMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OnnxMetrics onnxMetrics(ManagedModelRegistry registry) {
		return new OnnxMetrics(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	OnnxReloadMetrics onnxReloadMetrics(ManagedModelRegistry registry) {
		return new OnnxReloadMetrics(registry);
	}

}
