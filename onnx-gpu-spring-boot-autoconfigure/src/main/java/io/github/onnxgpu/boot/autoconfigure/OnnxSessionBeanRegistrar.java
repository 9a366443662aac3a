package io.github.onnxgpu.boot.autoconfigure;

import java.util.Map;

import ai.onnxruntime.OrtSession;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;

/**
 * Registers one {@link OrtSession} bean per configured model, named and qualified with
 * the model's name. The sessions belong to the {@link ManagedModelRegistry}, which closes
 * them; a bean the user defined under the same name wins.
 */
class OnnxSessionBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, Object> models = Binder.get(this.environment)
			.bind("onnx.models", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		BeanFactory beanFactory = (BeanFactory) registry;
		for (String name : models.keySet()) {
			OnnxModelDefinitions.checkName(name);
			if (!registry.containsBeanDefinition(name)) {
				registry.registerBeanDefinition(name, sessionBean(name, beanFactory));
			}
		}
	}

	private static RootBeanDefinition sessionBean(String name, BeanFactory beanFactory) {
		RootBeanDefinition definition = new RootBeanDefinition(OrtSession.class,
				() -> beanFactory.getBean(ManagedModelRegistry.class).get(name).sessionBean());
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		// the registry closes sessions once no run is in flight; Spring must not close
		// them first
		definition.setDestroyMethodName("");
		return definition;
	}

}
