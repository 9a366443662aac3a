package io.github.onnxgpu.boot.autoconfigure;

import java.util.Arrays;
import java.util.List;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxSparseTensor;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

import io.github.onnxgpu.boot.internal.diagnostics.OnnxModelFailureAnalyzer;
import io.github.onnxgpu.boot.internal.diagnostics.SpringBootVersionCheck;
import io.github.onnxgpu.boot.internal.diagnostics.UnsupportedSpringBootVersionFailureAnalyzer;
import io.github.onnxgpu.boot.internal.nativelib.JarNativeLibrarySource;
import io.github.onnxgpu.boot.internal.startup.StartupStoppedReporter;

/**
 * What a GraalVM native image needs to know about the starter and ONNX Runtime ahead of
 * time: types and members reached by reflection, by ONNX Runtime's JNI code, and
 * resources read from the class path. Registered in
 * {@code META-INF/spring/aot.factories}, so that Spring AOT ({@code process-aot}) writes
 * them into the application's {@code reflect-config.json}, {@code jni-config.json} and
 * {@code resource-config.json}.
 */
class OnnxRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent("ai.onnxruntime.OrtEnvironment", classLoader)) {
			return;
		}
		starter(hints, classLoader);
		onnxRuntimeJni(hints);
		onnxRuntimeResources(hints);
	}

	private static void starter(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		// bound by Spring Boot's Binder and walked by the property name check; the native
		// cache's properties are bound before the context exists, so no bean brings them
		BindableRuntimeHintsRegistrar.forTypes(OnnxProperties.class, OnnxNativeCacheProperties.class)
			.registerHints(hints, classLoader);
		// instantiated by Spring Boot from META-INF/spring.factories
		for (Class<?> type : List.of(SpringBootVersionCheck.class, OnnxModelFailureAnalyzer.class,
				UnsupportedSpringBootVersionFailureAnalyzer.class, StartupStoppedReporter.class)) {
			hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		}
		// the version check recognises Spring Boot 4 by this type, with Class.forName
		hints.reflection().registerType(EnvironmentPostProcessor.class);
		// the tuned model's session proxy calls the session in force by reflection
		hints.reflection().registerType(OrtSession.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		// OrtEnvironments: the log level it reads, and the reference it takes to hold the
		// native environment until the JVM exits
		hints.reflection()
			.registerType(OrtEnvironment.class,
					(type) -> type.withField("curLogLevel")
						.withField("nativeHandle")
						.withMethod("createHandle", List.of(TypeReference.of(long.class), TypeReference.of(int.class),
								TypeReference.of(String.class)), ExecutableMode.INVOKE));
		hints.reflection()
			.registerType(TypeReference.of("ai.onnxruntime.OnnxRuntime"), (type) -> type.withField("ortApiHandle"));
	}

	/**
	 * The classes and constructors that ONNX Runtime's JNI library
	 * ({@code libonnxruntime4j_jni}) looks up with {@code FindClass} and
	 * {@code GetMethodID}, as read from its 1.29 sources and confirmed against the
	 * strings of the library in the 1.29.0 jar. It reads no Java field and calls no other
	 * Java method.
	 * @param hints the hints
	 */
	private static void onnxRuntimeJni(RuntimeHints hints) {
		// FindClass for arrays it creates (NewObjectArray)
		hints.jni().registerType(String.class);
		hints.jni().registerType(OnnxValue.class);
		// results of runs and of session and model introspection
		jniConstructor(hints, OnnxTensor.class, long.class, long.class, TensorInfo.class);
		jniConstructor(hints, OnnxSparseTensor.class, long.class, long.class, int.class, TensorInfo.class);
		jniConstructor(hints, OnnxSequence.class, long.class, long.class, SequenceInfo.class);
		jniConstructor(hints, OnnxMap.class, long.class, long.class, MapInfo.class);
		jniConstructor(hints, TensorInfo.class, long[].class, String[].class, int.class);
		jniConstructor(hints, SequenceInfo.class, int.class, int.class);
		jniConstructor(hints, SequenceInfo.class, int.class, MapInfo.class);
		jniConstructor(hints, MapInfo.class, int.class, int.class, int.class);
		jniConstructor(hints, NodeInfo.class, String.class, ValueInfo.class);
		jniConstructor(hints, OnnxModelMetadata.class, String.class, String.class, String.class, String.class,
				String.class, long.class, String[].class);
		// every native error is thrown as an OrtException(int code, String message)
		jniConstructor(hints, OrtException.class, int.class, String.class);
	}

	private static void jniConstructor(RuntimeHints hints, Class<?> type, Class<?>... parameters) {
		List<TypeReference> parameterTypes = Arrays.stream(parameters).map(TypeReference::of).toList();
		hints.jni().registerType(type, (hint) -> hint.withConstructor(parameterTypes, ExecutableMode.INVOKE));
	}

	private static void onnxRuntimeResources(RuntimeHints hints) {
		// the native libraries ONNX Runtime extracts and loads (and that the starter's
		// native cache copies), for every platform in the jar
		hints.resources().registerPattern(JarNativeLibrarySource.NATIVE_FOLDER + "**");
	}

}
