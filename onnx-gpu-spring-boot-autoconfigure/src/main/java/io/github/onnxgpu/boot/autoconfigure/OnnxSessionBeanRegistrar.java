package io.github.onnxgpu.boot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OrtSession;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
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
 * <p>
 * Each bean is a plain bean definition, the static factory method
 * {@link OnnxSessionBeans#session} with the model's name as its argument, not an instance
 * supplier: Spring AOT turns such definitions into code (an instance supplier lambda
 * cannot be), so {@code process-aot} and native images work. Under AOT this registrar
 * runs at build time only, which fixes the set of models there, as any condition is
 * fixed; {@link OnnxBuildTimeModels} records that set and stops a start-up whose models
 * differ from it.
 */
class OnnxSessionBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Set<String> models = configuredModelNames(this.environment);
		for (String name : models) {
			OnnxModelDefinitions.checkName(name);
			if (!registry.containsBeanDefinition(name)) {
				registry.registerBeanDefinition(name, sessionBean(name));
			}
		}
		if (!registry.containsBeanDefinition(OnnxBuildTimeModels.BEAN_NAME)) {
			registry.registerBeanDefinition(OnnxBuildTimeModels.BEAN_NAME, buildTimeModelsBean(models));
		}
	}

	/**
	 * The names under {@code onnx.models} in the given environment, in order.
	 * @param environment the environment
	 * @return the model names
	 */
	static Set<String> configuredModelNames(Environment environment) {
		Map<String, Object> models = Binder.get(environment)
			.bind("onnx.models", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		return models.keySet();
	}

	private static RootBeanDefinition sessionBean(String name) {
		RootBeanDefinition definition = new RootBeanDefinition(OnnxSessionBeans.class);
		definition.setUniqueFactoryMethodName("session");
		definition.setTargetType(OrtSession.class);
		// the model's name is given; the registry is autowired by type, so that a
		// registry the user defined under another name serves too
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
		definition.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		// the registry closes sessions once no run is in flight; Spring must not close
		// them first
		definition.setDestroyMethodName("");
		return definition;
	}

	private static RootBeanDefinition buildTimeModelsBean(Set<String> models) {
		RootBeanDefinition definition = new RootBeanDefinition(OnnxBuildTimeModels.class);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, List.copyOf(models));
		definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
		return definition;
	}

}
