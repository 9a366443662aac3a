package io.github.onnxgpu.boot.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * The models that had {@code OrtSession} beans registered when the bean definitions were
 * made, and the check that the models configured now are the same, before any model is
 * loaded.
 * <p>
 * Without Spring AOT both are read from the same environment and always agree. With it
 * the definitions were made at build time ({@code process-aot}): a model added to the
 * configuration since has no bean, and one removed still has one. Either stops start-up
 * with the model's name and the fix, rather than a missing bean at the first injection
 * point or none at all.
 */
class OnnxBuildTimeModels implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

	static final String BEAN_NAME = "onnxBuildTimeModels";

	private static final String REPROCESS = "run the AOT processing again with the configuration the application "
			+ "runs with (Maven: spring-boot:process-aot, which -Pnative runs; Gradle: processAot) and rebuild";

	private final List<String> names;

	private Environment environment;

	OnnxBuildTimeModels(List<String> names) {
		this.names = List.copyOf(names);
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	List<String> names() {
		return this.names;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		Set<String> configured = OnnxSessionBeanRegistrar.configuredModelNames(this.environment);
		// without AOT both sets come from the same environment: only an AOT-processed
		// application gets here with a difference
		String when = "when the application was processed ahead of time";
		for (String name : configured) {
			if (!this.names.contains(name)) {
				throw new OnnxModelException(
						name, "onnx.models." + name, "it is configured but was not " + when
								+ ", so it has no OrtSession bean (models built " + "in: " + this.names + ")",
						REPROCESS + ", or remove onnx.models." + name);
			}
		}
		Set<String> removed = new LinkedHashSet<>(this.names);
		removed.removeAll(configured);
		if (!removed.isEmpty()) {
			String name = removed.iterator().next();
			throw new OnnxModelException(name, "onnx.models." + name,
					"it was configured " + when + " and has an OrtSession bean, but is not configured now "
							+ "(models configured: " + configured + ")",
					REPROCESS + ", or configure onnx.models." + name + " again");
		}
	}

}
