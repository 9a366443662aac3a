package io.github.onnxgpu.boot.internal.session;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.support.ClassHintUtils;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Generates the class of {@link SwappableSessionProxy} during Spring AOT processing,
 * where Spring keeps it with the generated code, and registers the hints to instantiate
 * it: a native image cannot generate the CGLIB class when a tuned model's session bean is
 * created. Only for an application with a model registry.
 */
class SwappableSessionProxyAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
			ConfigurableListableBeanFactory beanFactory) {
		if (beanFactory.getBeanNamesForType(ManagedModelRegistry.class, true, false).length == 0) {
			return null;
		}
		Class<?> proxyClass = SwappableSessionProxy.proxyClass();
		return (generationContext, code) -> ClassHintUtils.registerProxyIfNecessary(proxyClass,
				generationContext.getRuntimeHints());
	}

}
