package io.github.onnxgpu.boot.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.diagnostics.PropertyNameChecker;

/**
 * Stops start-up on an unknown key under {@code onnx.*}, naming the closest known key,
 * before any bean (so any model) is created. The known keys are those of the starter's
 * properties classes and of every other {@code @ConfigurationProperties} bean whose
 * prefix is under {@code onnx}. Unknown keys that come from environment variables only
 * log a warning: a host may have unrelated variables such as {@code ONNX_ML}.
 */
class OnnxPropertyNamesValidator implements BeanFactoryPostProcessor, Ordered {

	private static final String ROOT = "onnx";

	private static final Log logger = LogFactory.getLog(OnnxPropertyNamesValidator.class);

	private final Environment environment;

	OnnxPropertyNamesValidator(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		PropertyNameChecker checker = new PropertyNameChecker(ROOT).add(ROOT, OnnxProperties.class)
			.add("onnx.native.cache", OnnxNativeCacheProperties.class);
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			// only definitions whose class is loaded already: no class is loaded to check
			// keys
			if (definition instanceof AbstractBeanDefinition bean && bean.hasBeanClass()) {
				ConfigurationProperties annotation = AnnotatedElementUtils.findMergedAnnotation(bean.getBeanClass(),
						ConfigurationProperties.class);
				String prefix = (annotation != null) ? annotation.prefix() : "";
				if (prefix.equals(ROOT) || prefix.startsWith(ROOT + ".")) {
					checker.add(prefix, bean.getBeanClass());
				}
			}
		}
		Set<ConfigurationPropertyName> configured = new LinkedHashSet<>();
		Set<ConfigurationPropertyName> fromEnvironmentVariables = new LinkedHashSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				boolean variables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
				iterable.stream().forEach((variables ? fromEnvironmentVariables : configured)::add);
			}
		}
		fromEnvironmentVariables.removeAll(configured);
		checker.check(configured);
		try {
			checker.check(fromEnvironmentVariables);
		}
		catch (OnnxModelException ex) {
			logger.warn("An environment variable sets an unknown key: " + ex.getMessage());
		}
	}

}
