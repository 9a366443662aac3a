package io.github.onnxgpu.boot;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.github.onnxgpu.boot.internal.provider.CudaDriverProbe;
import io.github.onnxgpu.boot.model.OnnxInference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the public types of the published module, outside the {@code internal}
 * packages, are exactly the API listed here: every public type is a promise once
 * released, so adding or removing one is a decision, made by updating this list. No type
 * of an {@code internal} package appears in their public or protected signatures: what
 * users can call, they can also name.
 */
class PublicApiTests {

	private static final List<String> API = List.of(
	// @formatter:off
			"io.github.onnxgpu.boot.OnnxModelException",
			"io.github.onnxgpu.boot.actuate.OnnxEndpoint",
			"io.github.onnxgpu.boot.actuate.OnnxEndpointWebExtension",
			"io.github.onnxgpu.boot.autoconfigure.BatchingOptions",
			"io.github.onnxgpu.boot.autoconfigure.CacheProperties",
			"io.github.onnxgpu.boot.autoconfigure.CudaOptions",
			"io.github.onnxgpu.boot.autoconfigure.EmbeddingProperties",
			"io.github.onnxgpu.boot.autoconfigure.ModelExecutionProvider",
			"io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Batching",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Binding",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Candidate",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Cuda",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Profile",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Reload",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Session",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Tensorrt",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Tuning",
			"io.github.onnxgpu.boot.autoconfigure.OnnxModelProperties.Warmup",
			"io.github.onnxgpu.boot.autoconfigure.OnnxNativeCacheProperties",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Batching",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Cuda",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Download",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.OrtRuntime",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Shutdown",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Tensorrt",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Warmup",
			"io.github.onnxgpu.boot.autoconfigure.OnnxPropertyNamesAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.TensorrtOptions",
			"io.github.onnxgpu.boot.autoconfigure.WarmupOptions",
			"io.github.onnxgpu.boot.autoconfigure.WarmupRequest",
			"io.github.onnxgpu.boot.autoconfigure.actuate.OnnxEndpointAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.embedding.OnnxEmbeddingAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.health.OnnxHealthContributorAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.metrics.OnnxMetricsAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativeCacheAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativeCacheEnvironmentPostProcessor",
			"io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativePathEnvironmentPostProcessor",
			"io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativePathProperties",
			"io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceGrpcAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceProperties",
			"io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceProperties.Grpc",
			"io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceProperties.Rest",
			"io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceRestAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.reload.OnnxReloadAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.warmup.OnnxWarmupRequestAutoConfiguration",
			"io.github.onnxgpu.boot.embedding.EmbeddingPooling",
			"io.github.onnxgpu.boot.model.ArenaExtendStrategy",
			"io.github.onnxgpu.boot.model.BoundTensor",
			"io.github.onnxgpu.boot.model.CudaFallback",
			"io.github.onnxgpu.boot.model.CudnnConvAlgoSearch",
			"io.github.onnxgpu.boot.model.DeviceType",
			"io.github.onnxgpu.boot.model.ExecutionMode",
			"io.github.onnxgpu.boot.model.ModelStatus",
			"io.github.onnxgpu.boot.model.ModelWarmup",
			"io.github.onnxgpu.boot.model.OnnxBinding",
			"io.github.onnxgpu.boot.model.OnnxInference",
			"io.github.onnxgpu.boot.model.OnnxModel",
			"io.github.onnxgpu.boot.model.OnnxModelBusyException",
			"io.github.onnxgpu.boot.model.OnnxModelBusyException.Reason",
			"io.github.onnxgpu.boot.model.OnnxModelRegistry",
			"io.github.onnxgpu.boot.model.OnnxModelReloadedEvent",
			"io.github.onnxgpu.boot.model.OnnxOutputs",
			"io.github.onnxgpu.boot.model.OnnxRunOptions",
			"io.github.onnxgpu.boot.model.OptimizationLevel",
			"io.github.onnxgpu.boot.model.OrtLogLevel",
			"io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer",
			"io.github.onnxgpu.boot.model.ProfileShapes",
			"io.github.onnxgpu.boot.model.ReloadAttempt",
			"io.github.onnxgpu.boot.model.ReloadOutcome",
			"io.github.onnxgpu.boot.model.WarmupData",
			"io.github.onnxgpu.boot.model.WarmupFailureAction",
			"io.github.onnxgpu.boot.model.WarmupRequestMethod",
			"io.github.onnxgpu.boot.observation.DefaultInferenceObservationConvention",
			"io.github.onnxgpu.boot.observation.InferenceContext",
			"io.github.onnxgpu.boot.observation.InferenceObservationConvention"
	// @formatter:on
	);

	@Test
	void publicTypesAreTheListedApi() throws Exception {
		TreeSet<String> actual = publicTypes();
		TreeSet<String> added = new TreeSet<>(actual);
		added.removeAll(API);
		TreeSet<String> removed = new TreeSet<>(API);
		removed.removeAll(actual);
		assertThat(added)
			.as("public types not in the API list (make them package-private, move them under "
					+ "internal, or add them to PublicApiTests.API)")
			.isEmpty();
		assertThat(removed).as("API types that are gone or no longer public (remove them from PublicApiTests.API)")
			.isEmpty();
	}

	@Test
	void publicSignaturesNameNoInternalType() throws Exception {
		List<String> found = new ArrayList<>();
		for (String name : publicTypes()) {
			Class<?> type = Class.forName(binaryName(name), false, PublicApiTests.class.getClassLoader());
			found.addAll(internalTypesIn(type));
		}
		assertThat(found)
			.as("internal types in public signatures (make the member package-private, "
					+ "or give it a type outside internal)")
			.isEmpty();
	}

	@Test
	void internalTypeInAPublicSignatureIsFound() {
		assertThat(internalTypesIn(Leaky.class)).containsExactlyInAnyOrder(
				"Leaky: extends or implements " + CudaDriverProbe.class.getName(),
				"Leaky.leaky field: " + CudaDriverProbe.class.getName(),
				"Leaky constructor (1): " + CudaDriverProbe.class.getName(),
				"Leaky.leak method: " + CudaDriverProbe.class.getName(),
				"Leaky.all method: " + CudaDriverProbe.class.getName());
	}

	private static List<String> internalTypesIn(Class<?> type) {
		List<String> found = new ArrayList<>();
		String owner = type.getSimpleName();
		List<Type> supertypes = new ArrayList<>(List.of(type.getGenericInterfaces()));
		if (type.getGenericSuperclass() != null) {
			supertypes.add(type.getGenericSuperclass());
		}
		check(found, owner + ": extends or implements", supertypes.toArray(Type[]::new));
		for (Field field : type.getDeclaredFields()) {
			if (isApi(field.getModifiers())) {
				check(found, owner + "." + field.getName() + " field:", field.getGenericType());
			}
		}
		for (Constructor<?> constructor : type.getDeclaredConstructors()) {
			if (isApi(constructor.getModifiers())) {
				String where = owner + " constructor (" + constructor.getParameterCount() + "):";
				check(found, where, constructor.getGenericParameterTypes());
				check(found, where, constructor.getGenericExceptionTypes());
			}
		}
		for (Method method : type.getDeclaredMethods()) {
			if (isApi(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
				String where = owner + "." + method.getName() + " method:";
				check(found, where, method.getGenericReturnType());
				check(found, where, method.getGenericParameterTypes());
				check(found, where, method.getGenericExceptionTypes());
			}
		}
		return found;
	}

	private static boolean isApi(int modifiers) {
		return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
	}

	private static void check(List<String> found, String where, Type... types) {
		for (Type type : types) {
			for (Class<?> named : named(type)) {
				if (named.getName().startsWith(INTERNAL)) {
					found.add(where + " " + named.getName());
				}
			}
		}
	}

	// every class a type names: itself, its type arguments, bounds and array components
	private static Set<Class<?>> named(Type type) {
		Set<Class<?>> classes = new LinkedHashSet<>();
		if (type instanceof Class<?> named) {
			classes.add(named.isArray() ? named.componentType() : named);
			if (named.isArray()) {
				classes.addAll(named(named.componentType()));
			}
		}
		else if (type instanceof ParameterizedType parameterized) {
			classes.addAll(named(parameterized.getRawType()));
			for (Type argument : parameterized.getActualTypeArguments()) {
				classes.addAll(named(argument));
			}
		}
		else if (type instanceof WildcardType wildcard) {
			for (Type bound : wildcard.getUpperBounds()) {
				classes.addAll(named(bound));
			}
			for (Type bound : wildcard.getLowerBounds()) {
				classes.addAll(named(bound));
			}
		}
		else if (type instanceof GenericArrayType array) {
			classes.addAll(named(array.getGenericComponentType()));
		}
		else if (type instanceof TypeVariable<?> variable) {
			for (Type bound : variable.getBounds()) {
				if (!(bound instanceof TypeVariable<?>)) {
					classes.addAll(named(bound));
				}
			}
		}
		return classes;
	}

	private static String binaryName(String canonicalName) {
		String name = canonicalName;
		while (true) {
			try {
				Class.forName(name, false, PublicApiTests.class.getClassLoader());
				return name;
			}
			catch (ClassNotFoundException ex) {
				int dot = name.lastIndexOf('.');
				if (dot < 0) {
					throw new IllegalStateException(canonicalName, ex);
				}
				name = name.substring(0, dot) + "$" + name.substring(dot + 1);
			}
		}
	}

	private static TreeSet<String> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
		Path classes = Path.of(OnnxInference.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Path root = classes.resolve("io/github/onnxgpu/boot");
		List<String> names = new ArrayList<>();
		try (Stream<Path> files = Files.walk(root)) {
			files.filter((file) -> file.toString().endsWith(".class"))
				.map((file) -> classes.relativize(file).toString().replace(java.io.File.separatorChar, '.'))
				.map((name) -> name.substring(0, name.length() - ".class".length()))
				.filter((name) -> !name.startsWith("io.github.onnxgpu.boot.internal."))
				.filter((name) -> !name.endsWith("package-info"))
				.forEach(names::add);
		}
		TreeSet<String> result = new TreeSet<>();
		for (String name : names) {
			Class<?> type = Class.forName(name, false, PublicApiTests.class.getClassLoader());
			if (isVisible(type)) {
				result.add(type.getCanonicalName());
			}
		}
		return result;
	}

	private static final String INTERNAL = "io.github.onnxgpu.boot.internal.";

	private static boolean isVisible(Class<?> type) {
		if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
			return false;
		}
		for (Class<?> current = type; current != null; current = current.getEnclosingClass()) {
			if (!Modifier.isPublic(current.getModifiers())) {
				return false;
			}
		}
		return true;
	}

	// a type that breaks the rule in every way the check looks at
	public static class Leaky implements CudaDriverProbe {

		public @Nullable CudaDriverProbe leaky;

		protected Leaky(CudaDriverProbe leak) {
		}

		public CudaDriverProbe leak() {
			return this;
		}

		@Override
		public @Nullable String absenceReason() {
			return null;
		}

		public List<? extends CudaDriverProbe> all() {
			return List.of();
		}

		Leaky(String packagePrivate, CudaDriverProbe allowed) {
		}

	}

}
