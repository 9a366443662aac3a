package io.github.onnxgpu.boot.autoconfigure;

import ai.onnxruntime.OrtEnvironment;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} that stops start-up on a mistyped {@code onnx.*} key, naming the
 * closest known one.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(OrtEnvironment.class)
public final class OnnxPropertyNamesAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static OnnxPropertyNamesValidator onnxPropertyNamesValidator(Environment environment) {
		return new OnnxPropertyNamesValidator(environment);
	}

}
