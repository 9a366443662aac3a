package io.github.onnxgpu.boot.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtEnvironment;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.context.annotation.ImportRuntimeHints;

import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ModelDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.NativeLibrariesDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.OnnxDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ProviderDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ReloadDescriptor;
import io.github.onnxgpu.boot.internal.embedding.EmbeddingDescription;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheInstaller;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.internal.provider.CudaDriverProbe;
import io.github.onnxgpu.boot.internal.provider.NvidiaDriverProbe;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.ModelReloader;
import io.github.onnxgpu.boot.internal.warmup.request.WarmupRequestRunner;
import io.github.onnxgpu.boot.model.ReloadAttempt;

/**
 * {@link Endpoint @Endpoint} that shows, per model, whether it is warm, how long warmup
 * took per shape, which execution provider really runs it and which settings are in
 * force, and reloads a model on request.
 * <p>
 * It reads the starter's beans from the bean factory when asked (the models, the
 * {@link OrtEnvironment}, the warm-up requests, the reloads, the native library cache),
 * as Spring Boot's Flyway and Liquibase endpoints read theirs from the application
 * context; an unknown model answers {@code null} to a read and to a reload, which the web
 * answers with 404 ({@link OnnxEndpointWebExtension}).
 *
 * @since 0.1.0
 */
@Endpoint(id = "onnx", defaultAccess = Access.READ_ONLY)
@ImportRuntimeHints(OnnxEndpointRuntimeHints.class)
public class OnnxEndpoint {

	private final ObjectProvider<ManagedModelRegistry> registry;

	private final ObjectProvider<OrtEnvironment> environment;

	private final ObjectProvider<NativeLibraryCacheResult> nativeCache;

	private final ObjectProvider<WarmupRequestRunner> requests;

	private final ObjectProvider<ModelReloader> reloader;

	private final ObjectProvider<EmbeddingDescription.Source> embeddings;

	private final @Nullable CudaDriverProbe driverProbe;

	// asked of ONNX Runtime once: what is compiled in and loads does not change
	private volatile @Nullable List<ProviderDescriptor> providers;

	/**
	 * Create a new endpoint.
	 * @param beanFactory where the starter's beans are
	 * @param probeDriver whether CUDA and TensorRT are shown as not loadable without
	 * unpacking their libraries to try where no NVIDIA driver is found (as
	 * {@code onnx.cuda.probe} does for the sessions); {@code false} to try them
	 */
	public OnnxEndpoint(BeanFactory beanFactory, boolean probeDriver) {
		this(beanFactory, probeDriver ? new NvidiaDriverProbe() : null);
	}

	OnnxEndpoint(BeanFactory beanFactory, @Nullable CudaDriverProbe driverProbe) {
		this.registry = beanFactory.getBeanProvider(ManagedModelRegistry.class);
		this.environment = beanFactory.getBeanProvider(OrtEnvironment.class);
		this.nativeCache = beanFactory.getBeanProvider(NativeLibraryCacheResult.class);
		this.requests = beanFactory.getBeanProvider(WarmupRequestRunner.class);
		this.reloader = beanFactory.getBeanProvider(ModelReloader.class);
		this.embeddings = beanFactory.getBeanProvider(EmbeddingDescription.Source.class);
		this.driverProbe = driverProbe;
	}

	/**
	 * Describe ONNX Runtime, its providers and devices, the native libraries, every model
	 * and the warm-up requests.
	 * @return the description
	 */
	@ReadOperation
	public OnnxDescriptor onnx() {
		Map<String, ModelDescriptor> models = new LinkedHashMap<>();
		this.registry.getObject()
			.models()
			.forEach((model) -> models.put(model.name(),
					OnnxDescriptorMapper.model(model, this.embeddings.getIfAvailable())));
		OrtEnvironment environment = this.environment.getObject();
		return new OnnxDescriptor(environment.getVersion(), providers(), OnnxDescriptorMapper.devices(environment),
				nativeLibraries(), models,
				this.requests.orderedStream()
					.flatMap((runner) -> runner.results().stream())
					.map(OnnxDescriptorMapper::request)
					.toList());
	}

	/**
	 * Describe one model.
	 * @param model the model
	 * @return the description, {@code null} (404) when there is no such model
	 */
	@ReadOperation
	public @Nullable ModelDescriptor model(@Selector String model) {
		ManagedModel found = this.registry.getObject().find(model);
		return (found != null) ? OnnxDescriptorMapper.model(found, this.embeddings.getIfAvailable()) : null;
	}

	/**
	 * Reload a model from its configured location: the new version is loaded, checked,
	 * warmed and swapped in, or refused with the old one still serving. The request names
	 * the model only: a reload reads nothing but what the configuration names. A write
	 * operation: refused where {@code management.endpoint.onnx.access} is
	 * {@code read-only}, the default.
	 * @param model the model
	 * @return what the reload did, {@code null} (404 over the web, as for a read) when
	 * there is no such model
	 * @throws InvalidEndpointRequestException (400) when reloads are not part of the
	 * application
	 */
	@WriteOperation
	public @Nullable ReloadDescriptor reload(@Selector String model) {
		ModelReloader reloader = this.reloader.getIfAvailable();
		if (reloader == null) {
			throw new InvalidEndpointRequestException("Reloads are not available", "Reloads are not available");
		}
		ManagedModelRegistry registry = this.registry.getObject();
		if (registry.find(model) == null) {
			return null;
		}
		ReloadAttempt attempt = reloader.reload(model, "endpoint");
		return OnnxDescriptorMapper.reload(attempt, registry.get(model));
	}

	private List<ProviderDescriptor> providers() {
		List<ProviderDescriptor> providers = this.providers;
		if (providers == null) {
			providers = ProviderAvailability.describe(this.driverProbe);
			this.providers = providers;
		}
		return providers;
	}

	private NativeLibrariesDescriptor nativeLibraries() {
		return OnnxDescriptorMapper.nativeLibraries(System.getProperty(NativeLibraryCacheInstaller.NATIVE_PATH),
				this.nativeCache.getIfAvailable());
	}

}
