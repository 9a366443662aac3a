package io.github.onnxgpu.boot.autoconfigure;

import java.util.function.Predicate;

import ai.onnxruntime.OrtEnvironment;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.aot.BeanRegistrationCodeFragments;
import org.springframework.beans.factory.aot.BeanRegistrationCodeFragmentsDecorator;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.javapoet.CodeBlock;

/**
 * Keeps "no destroy method" in the code that Spring AOT generates for the starter's
 * {@code OrtSession} beans and its {@code OrtEnvironment} bean. Spring Framework 7.0
 * drops an explicit empty destroy method name when it generates a bean definition, so the
 * AOT-processed context would infer {@code close()} on these {@code AutoCloseable} beans
 * and close the sessions itself: before the registry, which closes them only once no run
 * is in flight (closing a session under a run crashes the JVM).
 */
class OnnxNoDestroyMethodAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		// the registered definition: AOT processing has already resolved the merged one's
		// destroy method, and "none" to no name at all
		BeanDefinition definition = registeredBean.getBeanFactory().getBeanDefinition(registeredBean.getBeanName());
		if (!"".equals(definition.getDestroyMethodName()) || !isStarters(registeredBean, definition)) {
			return null;
		}
		return BeanRegistrationAotContribution.withCustomCodeFragments(NoDestroyMethod::new);
	}

	private static boolean isStarters(RegisteredBean registeredBean, BeanDefinition definition) {
		return OnnxSessionBeans.class.getName().equals(definition.getBeanClassName())
				|| (registeredBean.getBeanClass() == OrtEnvironment.class
						&& registeredBean.getBeanName().equals("onnxEnvironment"));
	}

	private static final class NoDestroyMethod extends BeanRegistrationCodeFragmentsDecorator {

		private NoDestroyMethod(BeanRegistrationCodeFragments delegate) {
			super(delegate);
		}

		@Override
		public CodeBlock generateSetBeanDefinitionPropertiesCode(GenerationContext generationContext,
				BeanRegistrationCode beanRegistrationCode, RootBeanDefinition beanDefinition,
				Predicate<String> attributeFilter) {
			return CodeBlock.builder()
				.add(super.generateSetBeanDefinitionPropertiesCode(generationContext, beanRegistrationCode,
						beanDefinition, attributeFilter))
				.addStatement("$L.setDestroyMethodName($S)", BEAN_DEFINITION_VARIABLE, "")
				.build();
		}

	}

}
