package io.github.onnxgpu.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionOverrideException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Measures what Spring Framework 7's {@link BeanRegistrar} does under Spring AOT for
 * beans like the starter's per-model {@code OrtSession} beans: one bean per name under
 * {@code onnx.models}, injected by qualifier, closed by their owner and not by Spring.
 * See docs/aot.md ("BeanRegistrar: could it replace the starter's registrar?").
 */
@CompileWithForkedClassLoader
class BeanRegistrarAotTests {

	static final Queue<String> closedBySpring = new ConcurrentLinkedQueue<>();

	@BeforeEach
	void clear() {
		closedBySpring.clear();
	}

	@Test
	void registrarRunsAgainAtRunTimeSoTheModelsFollowTheRunTimeConfiguration() {
		Generated generated = processAheadOfTime(
				new ApplicationContextRunner().withUserConfiguration(Models.class, NoDestroyMethod.class)
					.withPropertyValues("onnx.models.a.location=x", "onnx.models.b.location=x"));
		TestCompiler.forSystem().with(generated.generation()).compile((compiled) -> {
			BiConsumer<List<String>, Boolean> start = (names, noDestroyMethod) -> {
				List<String> properties = new ArrayList<>();
				names.forEach((name) -> properties.add("onnx.models." + name + ".location=x"));
				properties.add("test.no-destroy-method=" + noDestroyMethod);
				try (GenericApplicationContext context = new GenericApplicationContext()) {
					TestPropertyValues.of(properties).applyTo(context);
					compiled.getInstance(ApplicationContextInitializer.class, generated.initializer().toString())
						.initialize(context);
					context.refresh();
					assertThat(context.getBeansOfType(Model.class)).containsOnlyKeys(names);
					// @Qualifier by the bean's name: the registry's spec has no qualifier
					assertThat(context.getBean(UsesA.class).a.name).isEqualTo("a");
				}
			};
			// a third model added after the build: Spring infers close() and calls it
			start.accept(List.of("a", "b", "c"), false);
			assertThat(closedBySpring).as("closed by Spring at context close").containsExactlyInAnyOrder("a", "b", "c");
			closedBySpring.clear();
			// one removed, and a post-processor takes the inferred destroy method away
			start.accept(List.of("a"), true);
			assertThat(closedBySpring).as("closed by Spring at context close").isEmpty();
		});
	}

	@Test
	void aUserBeanWithAModelsNameDoesNotWinButFailsAsBootForbidsOverriding() {
		// the registry cannot look up existing definitions, so the registrar cannot
		// step aside for the user's bean, as the starter's registrar does
		assertThatExceptionOfType(BeanDefinitionOverrideException.class)
			.isThrownBy(() -> processAheadOfTime(new ApplicationContextRunner().withAllowBeanDefinitionOverriding(false)
				.withUserConfiguration(UserA.class, Models.class)
				.withPropertyValues("onnx.models.a.location=x")))
			.satisfies((ex) -> assertThat(ex.getBeanName()).isEqualTo("a"));
	}

	private static Generated processAheadOfTime(ApplicationContextRunner runner) {
		TestGenerationContext generation = new TestGenerationContext();
		ClassName[] initializer = new ClassName[1];
		runner.prepare((context) -> initializer[0] = new ApplicationContextAotGenerator()
			.processAheadOfTime((GenericApplicationContext) context.getSourceApplicationContext(), generation));
		generation.writeGeneratedContent();
		return new Generated(generation, initializer[0]);
	}

	private record Generated(TestGenerationContext generation, ClassName initializer) {

	}

	static class Model implements AutoCloseable {

		final String name;

		Model(String name) {
			this.name = name;
		}

		@Override
		public void close() {
			closedBySpring.add(this.name);
		}

	}

	/** What owns the models (the starter's model registry). */
	static class Owner {

		Model get(String name) {
			return new Model(name);
		}

	}

	static class ModelBeans implements BeanRegistrar {

		@Override
		public void register(BeanRegistry registry, Environment environment) {
			Map<String, Object> models = Binder.get(environment)
				.bind("onnx.models", Bindable.mapOf(String.class, Object.class))
				.orElse(Map.of());
			for (String name : models.keySet()) {
				registry.registerBean(name, Model.class,
						(spec) -> spec.supplier((context) -> context.bean(Owner.class).get(name)));
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(ModelBeans.class)
	static class Models {

		@Bean
		Owner owner() {
			return new Owner();
		}

		@Bean
		UsesA usesA(@Qualifier("a") Model a) {
			return new UsesA(a);
		}

	}

	record UsesA(Model a) {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserA {

		@Bean
		Model a() {
			return new Model("user's own");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoDestroyMethod {

		@Bean
		static BeanFactoryPostProcessor noDestroyMethod(Environment environment) {
			return (beanFactory) -> {
				if (!environment.getProperty("test.no-destroy-method", Boolean.class, false)) {
					return;
				}
				for (String name : beanFactory.getBeanNamesForType(Model.class, true, false)) {
					beanFactory.getBeanDefinition(name).setDestroyMethodName("");
				}
			};
		}

	}

}
