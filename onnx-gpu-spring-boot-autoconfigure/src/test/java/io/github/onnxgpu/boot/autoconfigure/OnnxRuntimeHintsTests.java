package io.github.onnxgpu.boot.autoconfigure;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.ReflectionUtils;

import io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativeCacheEnvironmentPostProcessor;
import io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativePathEnvironmentPostProcessor;
import io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativePathProperties;
import io.github.onnxgpu.boot.internal.diagnostics.OnnxModelFailureAnalyzer;
import io.github.onnxgpu.boot.internal.diagnostics.SpringBootVersionCheck;
import io.github.onnxgpu.boot.internal.diagnostics.UnsupportedSpringBootVersionFailureAnalyzer;
import io.github.onnxgpu.boot.internal.startup.StartupStoppedReporter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OnnxRuntimeHints}: what a native image needs, checked with
 * {@link RuntimeHintsPredicates} and, for JNI, on the registered hints (no native image
 * is built here).
 */
class OnnxRuntimeHintsTests {

	private final RuntimeHints hints = registeredHints();

	@Test
	void registrarIsListedInAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(OnnxRuntimeHints.class);
	}

	@Test
	void propertiesClassesCanBeBound() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OnnxProperties.class, "getModels"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(
					OnnxModelProperties.class.getMethod("setLocation", org.springframework.core.io.Resource.class)))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(WarmupRequest.class, "setPath"))
			.accepts(this.hints);
		assertThat(
				RuntimeHintsPredicates.reflection().onMethodInvocation(OnnxNativeCacheProperties.class, "setDirectory"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OnnxNativePathProperties.class, "setPath"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(ModelExecutionProvider.class, "setCompiledModelDirectory")).accepts(this.hints);
	}

	@Test
	void factoriesThatSpringBootInstantiatesHaveTheirConstructors() {
		for (Class<?> type : List.of(SpringBootVersionCheck.class, OnnxModelFailureAnalyzer.class,
				UnsupportedSpringBootVersionFailureAnalyzer.class, OnnxNativeCacheEnvironmentPostProcessor.class,
				OnnxNativePathEnvironmentPostProcessor.class, StartupStoppedReporter.class)) {
			for (Constructor<?> constructor : type.getConstructors()) {
				assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(constructor))
					.as(constructor.toString())
					.accepts(this.hints);
			}
		}
		// the version check looks this type up by name
		assertThat(RuntimeHintsPredicates.reflection().onType(EnvironmentPostProcessor.class)).accepts(this.hints);
	}

	@Test
	void reflectionOnOnnxRuntimeThatTheStarterUses() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrtSession.class.getMethod("run", Map.class)))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrtSession.class.getMethod("getInputNames")))
			.accepts(this.hints);
		for (String field : List.of("curLogLevel", "nativeHandle")) {
			assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(field(OrtEnvironment.class, field))).as(field)
				.accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(
					OrtEnvironment.class.getDeclaredMethod("createHandle", long.class, int.class, String.class)))
			.accepts(this.hints);
		Class<?> onnxRuntime = Class.forName("ai.onnxruntime.OnnxRuntime", false, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(field(onnxRuntime, "ortApiHandle")))
			.accepts(this.hints);
	}

	@Test
	void jniReachesTheConstructorsOnnxRuntimeCallsFromNativeCode() throws Exception {
		assertJniConstructor(OnnxTensor.class, long.class, long.class, TensorInfo.class);
		assertJniConstructor(OnnxSparseTensor.class, long.class, long.class, int.class, TensorInfo.class);
		assertJniConstructor(OnnxSequence.class, long.class, long.class, SequenceInfo.class);
		assertJniConstructor(OnnxMap.class, long.class, long.class, MapInfo.class);
		assertJniConstructor(TensorInfo.class, long[].class, String[].class, int.class);
		assertJniConstructor(SequenceInfo.class, int.class, int.class);
		assertJniConstructor(SequenceInfo.class, int.class, MapInfo.class);
		assertJniConstructor(MapInfo.class, int.class, int.class, int.class);
		assertJniConstructor(NodeInfo.class, String.class, ValueInfo.class);
		assertJniConstructor(OnnxModelMetadata.class, String.class, String.class, String.class, String.class,
				String.class, long.class, String[].class);
		assertJniConstructor(OrtException.class, int.class, String.class);
		assertThat(this.hints.jni().getTypeHint(OnnxValue.class)).isNotNull();
		assertThat(this.hints.jni().getTypeHint(String.class)).isNotNull();
	}

	@Test
	void nativeLibrariesInTheOnnxRuntimeJarAreResources() {
		assertThat(RuntimeHintsPredicates.resource()
			.forResource("ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("ai/onnxruntime/native/win-x64/onnxruntime.dll"))
			.accepts(this.hints);
	}

	// Spring has no predicates for JNI hints: the registered constructor is looked up
	// directly, with the mode that lets native code call it
	private void assertJniConstructor(Class<?> type, Class<?>... parameters) throws NoSuchMethodException {
		Constructor<?> constructor = type.getDeclaredConstructor(parameters);
		TypeHint hint = this.hints.jni().getTypeHint(type);
		assertThat(hint).as(type.getName()).isNotNull();
		List<TypeReference> parameterTypes = Arrays.stream(constructor.getParameterTypes())
			.map(TypeReference::of)
			.toList();
		assertThat(hint.constructors()).as(constructor.toString())
			.anyMatch((executable) -> executable.getParameterTypes().equals(parameterTypes)
					&& executable.getMode() == ExecutableMode.INVOKE);
	}

	private static Field field(Class<?> type, String name) {
		Field field = ReflectionUtils.findField(type, name);
		assertThat(field).as(type.getName() + "." + name).isNotNull();
		return field;
	}

	private static RuntimeHints registeredHints() {
		// every registrar of the starter's aot.factories, as Spring AOT runs them
		RuntimeHints hints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, OnnxRuntimeHintsTests.class.getClassLoader()));
		return hints;
	}

}
