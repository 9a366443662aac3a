package io.github.onnxgpu.boot.autoconfigure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.SpringProperties;

import io.github.onnxgpu.boot.internal.provider.CudaSettings;
import io.github.onnxgpu.boot.internal.provider.ExecutionProviderSettings;
import io.github.onnxgpu.boot.internal.provider.TensorrtSettings;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.ModelDefinition;
import io.github.onnxgpu.boot.internal.session.ServingSettings;
import io.github.onnxgpu.boot.internal.session.TuningSettings;
import io.github.onnxgpu.boot.model.CudaFallback;

/**
 * A training run for the JVM's AOT cache (or a CDS archive), as Spring Boot documents it
 * and Buildpacks run it: {@code -Dspring.context.exit=onRefresh}, with which Spring
 * Framework halts the JVM once the context is refreshed, before the lifecycle starts and
 * before the application is ready. Such a run happens where the image is built, usually
 * without a GPU, and nothing it leaves on disk may be trusted by the host that serves.
 * <p>
 * Detected as Spring Framework itself decides to exit ({@link SpringProperties}: a
 * {@code spring.properties} entry or the system property), at run time: never in a
 * condition, which Spring AOT would fix at build time. In a training run every model is
 * still loaded, so that the classes of the start-up path are loaded and the cache records
 * them, but:
 * <ul>
 * <li>TensorRT is not tried: its only lasting product is the engine and timing caches,
 * built for the build host's GPU, and a build can take minutes;</li>
 * <li>a GPU provider that cannot be added leaves the model on the CPU whatever
 * {@code onnx.cuda.fallback} says;</li>
 * <li>tuning does not run and its cache is neither read nor written.</li>
 * </ul>
 * Warmup does not run either: it runs when the application is ready, which a training run
 * never reaches. Should the context go on after refresh all the same (a lifecycle
 * processor of the application's own that ignores the exit), start-up fails rather than
 * serve models set up this way.
 */
final class AotTrainingRun implements ApplicationListener<ContextRefreshedEvent> {

	private static final Log logger = LogFactory.getLog(AotTrainingRun.class);

	private static final String PROPERTY = DefaultLifecycleProcessor.EXIT_PROPERTY_NAME + "="
			+ DefaultLifecycleProcessor.ON_REFRESH_VALUE;

	private final boolean active;

	AotTrainingRun(boolean active) {
		this.active = active;
	}

	/**
	 * Whether this JVM is a training run, read as Spring Framework reads it.
	 * @return the training run, inactive when the context is not to exit on refresh
	 */
	static AotTrainingRun detect() {
		String exit = SpringProperties.getProperty(DefaultLifecycleProcessor.EXIT_PROPERTY_NAME);
		return new AotTrainingRun(DefaultLifecycleProcessor.ON_REFRESH_VALUE.equalsIgnoreCase(exit));
	}

	boolean isActive() {
		return this.active;
	}

	/**
	 * The definitions to load: as configured, or, in a training run, without what a
	 * training run must not do.
	 * @param definitions the configured models
	 * @return the models to load
	 */
	List<ModelDefinition> definitions(Collection<ModelDefinition> definitions) {
		if (!this.active) {
			return List.copyOf(definitions);
		}
		return definitions.stream().map(AotTrainingRun::forTraining).toList();
	}

	private static ModelDefinition forTraining(ModelDefinition definition) {
		CudaSettings cuda = definition.cuda();
		CudaSettings cudaOrCpu = new CudaSettings(cuda.enabled(), CudaFallback.CPU, cuda.deviceId(), cuda.options());
		return new ModelDefinition(definition.name(), definition.location(), definition.sha256(), cudaOrCpu,
				TensorrtSettings.disabled(), definition.session(), definition.warmup(), definition.bindingPoolSize(),
				TuningSettings.disabled(), ServingSettings.single(), withoutCompiling(definition.executionProvider()));
	}

	// compiling a model for a provider takes as long as a TensorRT engine build
	private static @Nullable ExecutionProviderSettings withoutCompiling(@Nullable ExecutionProviderSettings named) {
		return (named == null || !named.compile()) ? named : new ExecutionProviderSettings(named.name(),
				named.options(), named.deviceType(), named.vendor(), named.vendorId(), named.deviceId(), false, null);
	}

	/**
	 * Say, in one line, that this is a training run, where the models run and what was
	 * skipped.
	 * @param configured the models as configured
	 * @param registry the models as loaded
	 */
	void logLoaded(Collection<ModelDefinition> configured, ManagedModelRegistry registry) {
		if (!this.active || !logger.isInfoEnabled()) {
			return;
		}
		logger.info(describe(configured, registry));
	}

	String describe(Collection<ModelDefinition> configured, ManagedModelRegistry registry) {
		List<String> loaded = new ArrayList<>();
		for (ManagedModel model : registry.models()) {
			loaded.add(model.name() + " on " + model.provider().active());
		}
		List<String> skipped = new ArrayList<>();
		skip(skipped, configured, (model) -> model.tensorrt().enabled(),
				"TensorRT (no engine built, no engine or timing cache written)");
		skip(skipped, configured, (model) -> model.cuda().enabled() && model.cuda().fallback() == CudaFallback.FAIL,
				"onnx.cuda.fallback=fail (the CPU where CUDA cannot be added)");
		skip(skipped, configured, (model) -> model.tuning().enabled(),
				"start-up tuning (its cache neither read nor written)");
		skip(skipped, configured, (model) -> model.warmup().enabled(), "warmup (the context exits before it)");
		return "AOT cache training run (" + PROPERTY + "): ONNX models loaded for the cache to record their classes: "
				+ String.join(", ", loaded) + "; skipped: "
				+ (skipped.isEmpty() ? "nothing" : String.join("; ", skipped));
	}

	private static void skip(List<String> skipped, Collection<ModelDefinition> configured,
			Predicate<ModelDefinition> applies, String what) {
		Set<String> names = new LinkedHashSet<>();
		for (ModelDefinition definition : configured) {
			if (applies.test(definition)) {
				names.add(definition.name());
			}
		}
		if (!names.isEmpty()) {
			skipped.add(what + " for " + String.join(", ", names));
		}
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (this.active) {
			throw new IllegalStateException("This JVM was started for an AOT cache training run (" + PROPERTY
					+ "), so its ONNX models were loaded without TensorRT, tuning or onnx.cuda.fallback=fail, but the "
					+ "context did not exit when refreshed (a lifecycle processor of the application's own?): "
					+ "refusing to serve them; remove -D" + PROPERTY + " to start the application");
		}
	}

}
