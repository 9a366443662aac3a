package io.github.onnxgpu.boot.autoconfigure.nativelib;

import java.util.Properties;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

import io.github.onnxgpu.boot.autoconfigure.OnnxNativeCacheProperties;
import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheInstaller;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResults;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibrarySourceLocator;
import io.github.onnxgpu.boot.internal.provider.CudaDriverProbe;
import io.github.onnxgpu.boot.internal.provider.NvidiaDriverProbe;

/**
 * Fills the native library cache and points ONNX Runtime at it, configured by
 * {@link OnnxNativeCacheProperties}.
 * <p>
 * An {@link EnvironmentPostProcessor}, because ONNX Runtime reads
 * {@code onnxruntime.native.path} once, when its native code first loads: that must come
 * after the configuration is known but before any bean (or a listener of a later
 * application event) touches an ONNX Runtime class. Ordered right after
 * {@link ConfigDataEnvironmentPostProcessor} so that application.yml and profile specific
 * files are seen. An {@code ApplicationContextInitializer} or a bean factory
 * post-processor would run later than needed and could be overtaken by other
 * initializers; a {@code SpringApplicationRunListener} would run before application.yml
 * is read.
 * <p>
 * It runs before logging is initialized, so it logs through a deferred log. The outcome
 * is kept for the {@link OnnxNativeCacheAutoConfiguration} bean in a static field: ONNX
 * Runtime's native path is per JVM, not per application context.
 */
public class OnnxNativeCacheEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * The order of this post-processor: right after config data and the user's own native
	 * folder ({@link OnnxNativePathEnvironmentPostProcessor}), which wins.
	 */
	public static final int ORDER = OnnxNativePathEnvironmentPostProcessor.ORDER + 1;

	private final Log logger;

	private final Properties systemProperties;

	private final Function<ClassLoader, NativeLibrarySourceLocator> locators;

	private final CudaDriverProbe driverProbe;

	/**
	 * Create a post-processor, as Spring Boot does.
	 * @param logFactory the factory of logs that are written once logging is initialized
	 */
	public OnnxNativeCacheEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this(logFactory.getLog(OnnxNativeCacheEnvironmentPostProcessor.class), System.getProperties(),
				NativeLibrarySourceLocator::onClassPath, new NvidiaDriverProbe());
	}

	OnnxNativeCacheEnvironmentPostProcessor(Log logger, Properties systemProperties,
			Function<ClassLoader, NativeLibrarySourceLocator> locators, CudaDriverProbe driverProbe) {
		this.logger = logger;
		this.systemProperties = systemProperties;
		this.locators = locators;
		this.driverProbe = driverProbe;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		OnnxNativeCacheProperties properties = Binder.get(environment)
			.bind(OnnxNativeCacheProperties.PREFIX, OnnxNativeCacheProperties.class)
			.orElseGet(OnnxNativeCacheProperties::new);
		NativeLibrarySourceLocator locator = this.locators.apply(application.getClassLoader());
		String noCuda = cudaWillNotBeTried(environment);
		if (noCuda != null) {
			this.logger.debug("Not caching ONNX Runtime's GPU provider libraries: " + noCuda);
			locator = locator.withoutGpuProviders();
		}
		NativeLibraryCacheInstaller installer = new NativeLibraryCacheInstaller(this.systemProperties, locator);
		NativeLibraryCacheResult result = installer.install(!Boolean.FALSE.equals(properties.getEnabled()),
				properties.getDirectory(), NativeLibraryCacheResults.last());
		NativeLibraryCacheResults.record(result);
		log(result);
	}

	/**
	 * Why no model will try the CUDA provider on this host, so that its 580 MB library
	 * need not be cached: CUDA disabled, or no NVIDIA driver where the driver probe is
	 * on.
	 * @param environment the application's environment
	 * @return the reason, or {@code null} when CUDA may be tried
	 */
	private @Nullable String cudaWillNotBeTried(ConfigurableEnvironment environment) {
		Binder binder = Binder.get(environment);
		// one key at a time: a mistake in another onnx.cuda key is reported later, by the
		// starter's own checks; the defaults are those of the properties
		OnnxProperties.Cuda defaults = new OnnxProperties.Cuda();
		if (!binder.bind("onnx.cuda.enabled", Boolean.class).orElse(defaults.isEnabled())) {
			return "onnx.cuda.enabled is false";
		}
		if (!binder.bind("onnx.cuda.probe", Boolean.class).orElse(defaults.isProbe())) {
			return null;
		}
		return this.driverProbe.absenceReason();
	}

	private void log(NativeLibraryCacheResult result) {
		switch (result.status()) {
			case CREATED -> this.logger.info("Unpacked ONNX Runtime's native libraries to " + result.directory()
					+ " in " + result.timeSpent().toMillis() + " ms (" + result.reason()
					+ "); later starts load them from there");
			case FAILED -> this.logger.warn("Not caching ONNX Runtime's native libraries: " + result.reason()
					+ ". ONNX Runtime unpacks them to a temporary folder instead, which slows every start");
			default -> {
				if (this.logger.isDebugEnabled()) {
					this.logger.debug("ONNX Runtime native library cache " + result.status() + ": " + result.reason()
							+ ((result.directory() != null) ? " (" + result.directory() + ")" : ""));
				}
			}
		}
	}

}
