package io.github.onnxgpu.boot.autoconfigure.nativelib;

import java.util.Properties;
import java.util.function.Function;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

import io.github.onnxgpu.boot.internal.nativelib.NativeFolderInstaller;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibrarySourceLocator;

/**
 * Points ONNX Runtime at the native library folder of {@link OnnxNativePathProperties}
 * after checking its libraries' versions against the jar's. An
 * {@link EnvironmentPostProcessor} for the reason
 * {@link OnnxNativeCacheEnvironmentPostProcessor} is one: ONNX Runtime reads
 * {@code onnxruntime.native.path} once, when its native code first loads. Ordered right
 * after config data and before the native library cache, which then sees the folder
 * chosen and leaves it alone.
 */
public class OnnxNativePathEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * The order of this post-processor: right after config data, before the native
	 * library cache.
	 */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	private final Properties systemProperties;

	private final Function<ClassLoader, NativeLibrarySourceLocator> locators;

	/**
	 * Create a post-processor, as Spring Boot does.
	 */
	public OnnxNativePathEnvironmentPostProcessor() {
		this(System.getProperties(), NativeLibrarySourceLocator::onClassPath);
	}

	OnnxNativePathEnvironmentPostProcessor(Properties systemProperties,
			Function<ClassLoader, NativeLibrarySourceLocator> locators) {
		this.systemProperties = systemProperties;
		this.locators = locators;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		OnnxNativePathProperties properties = Binder.get(environment)
			.bind(OnnxNativePathProperties.PREFIX, OnnxNativePathProperties.class)
			.orElseGet(OnnxNativePathProperties::new);
		new NativeFolderInstaller(this.systemProperties, this.locators.apply(application.getClassLoader()))
			.install(properties.getPath());
	}

}
