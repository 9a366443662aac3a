package io.github.onnxgpu.boot.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.OrtEnvironment;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the {@code onnx} health contributor, one entry per model. Add
 * it to the readiness group to take an instance with a failed model out of rotation.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OnnxAutoConfiguration.class, before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass({ OrtEnvironment.class, HealthContributor.class })
@ConditionalOnEnabledHealthIndicator("onnx")
public final class OnnxHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "onnxHealthContributor")
	@ConditionalOnBean(ManagedModelRegistry.class)
	HealthContributor onnxHealthContributor(ManagedModelRegistry registry) {
		Map<String, ManagedModel> models = new LinkedHashMap<>();
		registry.models().forEach((model) -> models.put(model.name(), model));
		return CompositeHealthContributor.fromMap(models, OnnxModelHealthIndicator::new);
	}

}
