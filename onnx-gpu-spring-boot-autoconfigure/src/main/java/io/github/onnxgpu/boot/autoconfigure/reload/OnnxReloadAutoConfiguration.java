package io.github.onnxgpu.boot.autoconfigure.reload;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.OrtEnvironment;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.ModelReloader;
import io.github.onnxgpu.boot.internal.session.OnnxSessionFactory;
import io.github.onnxgpu.boot.internal.session.ReloadSettings;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for model reloads: on request through the {@code onnx} endpoint,
 * and by polling {@code onnx.models.NAME.reload.poll}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OnnxAutoConfiguration.class)
@ConditionalOnClass(OrtEnvironment.class)
@ConditionalOnBean({ ManagedModelRegistry.class, OnnxSessionFactory.class })
public final class OnnxReloadAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ModelReloader onnxModelReloader(ManagedModelRegistry registry, OnnxSessionFactory factory,
			OrtEnvironment environment, OnnxProperties properties) {
		Map<String, ReloadSettings> settings = new LinkedHashMap<>();
		properties.getModels()
			.forEach((name, model) -> settings.put(name,
					new ReloadSettings(model.getReload().getPoll(), model.getReload().isAllowSignatureChange())));
		return new ModelReloader(registry, factory, environment, settings,
				properties.getShutdown().getAwaitTerminationPeriod());
	}

}
