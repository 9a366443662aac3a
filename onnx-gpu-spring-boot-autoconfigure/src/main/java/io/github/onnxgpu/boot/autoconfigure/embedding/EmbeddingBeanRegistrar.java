package io.github.onnxgpu.boot.autoconfigure.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Qualifier;
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

/**
 * Registers one {@code EmbeddingModel} bean per model whose
 * {@code onnx.models.<name>.embedding.tokenizer} is set, qualified by the model's name
 * and primary when it is the only one. As for the {@code OrtSession} beans, each is a
 * plain definition of a static factory method with the model's name as argument, which
 * Spring AOT turns into code; under AOT the set of embedding models is fixed at build
 * time.
 */
abstract class EmbeddingBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	static final String SPRING_AI = "org.springframework.ai.embedding.EmbeddingModel";

	static final String LANGCHAIN4J = "dev.langchain4j.model.embedding.EmbeddingModel";

	private Environment environment;

	private final String suffix;

	private final String factoryMethod;

	private final String type;

	EmbeddingBeanRegistrar(String suffix, String factoryMethod, String type) {
		this.suffix = suffix;
		this.factoryMethod = factoryMethod;
		this.type = type;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		List<String> models = embeddingModelNames(this.environment);
		for (String name : models) {
			String beanName = name + this.suffix;
			if (!registry.containsBeanDefinition(beanName)) {
				registry.registerBeanDefinition(beanName, definition(name, models.size() == 1));
			}
		}
	}

	private RootBeanDefinition definition(String name, boolean primary) {
		RootBeanDefinition definition = new RootBeanDefinition(OnnxEmbeddingBeans.class);
		definition.setUniqueFactoryMethodName(this.factoryMethod);
		try {
			definition.setTargetType(Class.forName(this.type, false, getClass().getClassLoader()));
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
		definition.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		definition.setPrimary(primary);
		// the tokenizers belong to the embedders' bean, which closes them
		definition.setDestroyMethodName("");
		return definition;
	}

	/**
	 * The models with a tokenizer configured, in order.
	 * @param environment the environment
	 * @return their names
	 */
	static List<String> embeddingModelNames(Environment environment) {
		Map<String, Object> models = Binder.get(environment)
			.bind("onnx.models", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		List<String> names = new ArrayList<>();
		for (String name : models.keySet()) {
			if (environment.getProperty("onnx.models." + name + ".embedding.tokenizer") != null) {
				names.add(name);
			}
		}
		return names;
	}

	static final class SpringAi extends EmbeddingBeanRegistrar {

		SpringAi() {
			super("EmbeddingModel", "springAi", SPRING_AI);
		}

	}

	static final class LangChain4j extends EmbeddingBeanRegistrar {

		LangChain4j() {
			super("LangChain4jEmbeddingModel", "langChain4j", LANGCHAIN4J);
		}

	}

}
