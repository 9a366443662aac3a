package io.github.onnxgpu.boot.autoconfigure;

import java.util.List;

import ai.onnxruntime.OrtEnvironment;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.github.onnxgpu.boot.internal.diagnostics.OnnxRuntimeArtifacts;
import io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller;
import io.github.onnxgpu.boot.internal.provider.CudaProviderSelector;
import io.github.onnxgpu.boot.internal.provider.ExecutionProviderInstaller;
import io.github.onnxgpu.boot.internal.provider.ExecutionProviderLibraries;
import io.github.onnxgpu.boot.internal.provider.ExecutionProviderSelector;
import io.github.onnxgpu.boot.internal.provider.NvidiaDriverProbe;
import io.github.onnxgpu.boot.internal.provider.TensorrtProviderInstaller;
import io.github.onnxgpu.boot.internal.session.BatchersLifecycle;
import io.github.onnxgpu.boot.internal.session.DefaultOnnxInference;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.ModelDefinition;
import io.github.onnxgpu.boot.internal.session.ModelVersionHasher;
import io.github.onnxgpu.boot.internal.session.OnnxSessionFactory;
import io.github.onnxgpu.boot.internal.session.OnnxWarmupRunner;
import io.github.onnxgpu.boot.internal.session.OrtEnvironments;
import io.github.onnxgpu.boot.internal.startup.DownloadSettings;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer;
import io.github.onnxgpu.boot.observation.InferenceObservationConvention;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for ONNX Runtime: the environment, one session per configured model
 * on TensorRT, CUDA or the CPU, and their warmup before the application accepts traffic.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(OrtEnvironment.class)
@EnableConfigurationProperties(OnnxProperties.class)
@Import(OnnxSessionBeanRegistrar.class)
public final class OnnxAutoConfiguration {

	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean
	OrtEnvironment onnxEnvironment(OnnxProperties properties) {
		// two ONNX Runtime jars stop start-up before the first native call
		OnnxRuntimeArtifacts.check(OrtEnvironment.class.getClassLoader());
		// process-wide singleton in ONNX Runtime: never closed by one context
		return OrtEnvironments.get(properties.getRuntime().getLogLevel());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ExecutionProviderLibraries onnxExecutionProviderLibraries(OrtEnvironment environment, OnnxProperties properties) {
		// before any session (the session factory depends on it), unregistered after
		// every session is closed (the registry, which closes them, depends on the
		// factory)
		return ExecutionProviderLibraries.register(environment, properties.getExecutionProviderLibraries());
	}

	@Bean
	@ConditionalOnMissingBean
	OnnxSessionFactory onnxSessionFactory(OrtEnvironment environment, OnnxProperties properties,
			ObjectProvider<OrtSessionOptionsCustomizer> customizers, ExecutionProviderLibraries libraries) {
		CudaProviderSelector providerSelector = new CudaProviderSelector(CudaProviderInstaller.ONNX_RUNTIME,
				properties.getCuda().isProbe() ? new NvidiaDriverProbe() : null,
				TensorrtProviderInstaller.ONNX_RUNTIME);
		return new OnnxSessionFactory(environment, providerSelector,
				new ExecutionProviderSelector(environment, ExecutionProviderInstaller.ONNX_RUNTIME),
				customizers.orderedStream().toList(), downloads(properties));
	}

	@Bean
	@ConditionalOnMissingBean
	AotTrainingRun onnxAotTrainingRun() {
		// read when the context starts, never in a condition that Spring AOT would fix
		return AotTrainingRun.detect();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ManagedModelRegistry onnxModelRegistry(OnnxSessionFactory sessionFactory, OnnxProperties properties,
			AotTrainingRun trainingRun) {
		if (properties.getShutdown().isHoldEnvironment()) {
			// before the first session: ONNX Runtime's shutdown hook must not free the
			// environment under a session creation, a run or a close in flight
			OrtEnvironments.holdUntilExit();
		}
		List<ModelDefinition> configured = OnnxModelDefinitions.from(properties);
		ManagedModelRegistry registry = ManagedModelRegistry.load(sessionFactory, trainingRun.definitions(configured),
				properties.getShutdown().getAwaitTerminationPeriod());
		trainingRun.logLoaded(configured, registry);
		return registry;
	}

	@Bean
	@ConditionalOnMissingBean(OnnxInference.class)
	DefaultOnnxInference onnxInference(ManagedModelRegistry registry, OrtEnvironment environment,
			ObjectProvider<ObservationRegistry> observations,
			ObjectProvider<InferenceObservationConvention> convention) {
		return new DefaultOnnxInference(registry, environment,
				observations.getIfAvailable(() -> ObservationRegistry.NOOP), convention.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	OnnxWarmupRunner onnxWarmupRunner(ManagedModelRegistry registry, OrtEnvironment environment,
			OnnxProperties properties) {
		return new OnnxWarmupRunner(registry, environment, properties.getWarmup().getParallelism(),
				properties.getShutdown().getAwaitTerminationPeriod());
	}

	@Bean
	@ConditionalOnMissingBean
	BatchersLifecycle onnxBatchersLifecycle(ManagedModelRegistry registry, OnnxProperties properties) {
		return new BatchersLifecycle(registry, properties.getShutdown().getAwaitTerminationPeriod());
	}

	@Bean
	@ConditionalOnMissingBean
	ModelVersionHasher onnxModelVersionHasher(ManagedModelRegistry registry) {
		return new ModelVersionHasher(registry);
	}

	static DownloadSettings downloads(OnnxProperties properties) {
		OnnxProperties.Download download = properties.getDownload();
		return DownloadSettings.checked(download.getConnectTimeout(), download.getReadTimeout(), download.getTimeout(),
				download.getDirectory());
	}

}
