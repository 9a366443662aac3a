package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;
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

import io.github.onnxgpu.boot.model.ModelDefinition;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelRegistry;
import io.github.onnxgpu.boot.model.OnnxSessionFactory;
import io.github.onnxgpu.boot.model.OnnxWarmupRunner;
import io.github.onnxgpu.boot.model.OrtEnvironments;
import io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer;
import io.github.onnxgpu.boot.observation.InferenceObservationConvention;
import io.github.onnxgpu.boot.provider.CudaDriverProbe;
import io.github.onnxgpu.boot.provider.CudaProviderInstaller;
import io.github.onnxgpu.boot.provider.CudaProviderSelector;
import io.github.onnxgpu.boot.provider.NvidiaDriverProbe;
import io.github.onnxgpu.boot.provider.TensorrtProviderInstaller;

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
public class OnnxAutoConfiguration {

	// long enough for a slow inference on a loaded GPU, short enough not to stall
	// shutdown
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean
	OrtEnvironment onnxEnvironment(OnnxProperties properties) {
		// process-wide singleton in ONNX Runtime: never closed by one context
		return OrtEnvironments.get(properties.getRuntime().getLogLevel());
	}

	@Bean
	@ConditionalOnMissingBean
	CudaProviderInstaller onnxCudaProviderInstaller() {
		return CudaProviderInstaller.ONNX_RUNTIME;
	}

	@Bean
	@ConditionalOnMissingBean
	TensorrtProviderInstaller onnxTensorrtProviderInstaller() {
		return TensorrtProviderInstaller.ONNX_RUNTIME;
	}

	@Bean
	@ConditionalOnMissingBean
	CudaDriverProbe onnxCudaDriverProbe() {
		return new NvidiaDriverProbe();
	}

	@Bean
	@ConditionalOnMissingBean
	CudaProviderSelector onnxCudaProviderSelector(CudaProviderInstaller installer, CudaDriverProbe probe,
			TensorrtProviderInstaller tensorrtInstaller, OnnxProperties properties) {
		return new CudaProviderSelector(installer, properties.getCuda().isProbe() ? probe : null, tensorrtInstaller);
	}

	@Bean
	@ConditionalOnMissingBean
	OnnxSessionFactory onnxSessionFactory(OrtEnvironment environment, CudaProviderSelector providerSelector,
			ObjectProvider<OrtSessionOptionsCustomizer> customizers, OnnxProperties properties) {
		return new OnnxSessionFactory(environment, providerSelector, customizers.orderedStream().toList(),
				DownloadSettingsMapper.map(properties.getDownload()));
	}

	@Bean
	@ConditionalOnMissingBean
	AotTrainingRun onnxAotTrainingRun() {
		// read when the context starts, never in a condition that Spring AOT would fix
		return AotTrainingRun.detect();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	OnnxModelRegistry onnxModelRegistry(OnnxSessionFactory sessionFactory, OnnxProperties properties,
			AotTrainingRun trainingRun) {
		if (properties.getShutdown().isHoldEnvironment()) {
			// before the first session: ONNX Runtime's shutdown hook must not free the
			// environment under a session creation, a run or a close in flight
			OrtEnvironments.holdUntilExit();
		}
		List<ModelDefinition> configured = OnnxModelDefinitions.from(properties);
		OnnxModelRegistry registry = OnnxModelRegistry.load(sessionFactory, trainingRun.definitions(configured),
				CLOSE_WAIT);
		trainingRun.logLoaded(configured, registry);
		return registry;
	}

	@Bean
	@ConditionalOnMissingBean
	OnnxInference onnxInference(OnnxModelRegistry registry, ObjectProvider<ObservationRegistry> observations,
			ObjectProvider<InferenceObservationConvention> convention) {
		return new OnnxInference(registry, observations.getIfAvailable(() -> ObservationRegistry.NOOP),
				convention.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	OnnxWarmupRunner onnxWarmupRunner(OnnxModelRegistry registry, OrtEnvironment environment,
			OnnxProperties properties) {
		return new OnnxWarmupRunner(registry, environment, properties.getWarmup().getParallelism());
	}

}
