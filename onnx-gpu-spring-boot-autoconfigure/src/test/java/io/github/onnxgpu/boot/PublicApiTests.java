package io.github.onnxgpu.boot;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.github.onnxgpu.boot.model.OnnxInference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the public types of the published module, outside the {@code internal}
 * packages, are exactly the API listed here: every public type is a promise once
 * released, so adding or removing one is a decision, made by updating this list.
 */
class PublicApiTests {

	private static final List<String> API = List.of(
	// @formatter:off
			"io.github.onnxgpu.boot.OnnxModelException",
			"io.github.onnxgpu.boot.actuate.OnnxEndpoint",
			"io.github.onnxgpu.boot.autoconfigure.CudaOptions",
			"io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Batching",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Binding",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Candidate",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Cuda",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Download",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Model",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.ModelBatching",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.ModelCuda",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.ModelTensorrt",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.ModelWarmup",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Profile",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Reload",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Runtime",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Session",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Shutdown",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Tensorrt",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.TensorrtCache",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Tuning",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Tuning.Cache",
			"io.github.onnxgpu.boot.autoconfigure.OnnxProperties.Warmup",
			"io.github.onnxgpu.boot.autoconfigure.OnnxPropertyNamesAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.TensorrtOptions",
			"io.github.onnxgpu.boot.autoconfigure.TensorrtOptions.Cache",
			"io.github.onnxgpu.boot.autoconfigure.WarmupOptions",
			"io.github.onnxgpu.boot.autoconfigure.WarmupRequest",
			"io.github.onnxgpu.boot.autoconfigure.actuate.OnnxEndpointAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.health.OnnxHealthContributorAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.metrics.OnnxMetricsAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativeCacheAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativeCacheEnvironmentPostProcessor",
			"io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativeCacheProperties",
			"io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceGrpcAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceProperties",
			"io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceProperties.Grpc",
			"io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceProperties.Rest",
			"io.github.onnxgpu.boot.autoconfigure.openinference.OnnxOpenInferenceRestAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.reload.OnnxReloadAutoConfiguration",
			"io.github.onnxgpu.boot.autoconfigure.warmup.OnnxWarmupRequestAutoConfiguration",
			"io.github.onnxgpu.boot.model.ArenaExtendStrategy",
			"io.github.onnxgpu.boot.model.BoundTensor",
			"io.github.onnxgpu.boot.model.CudaFallback",
			"io.github.onnxgpu.boot.model.CudnnConvAlgoSearch",
			"io.github.onnxgpu.boot.model.ExecutionMode",
			"io.github.onnxgpu.boot.model.ModelStatus",
			"io.github.onnxgpu.boot.model.OnnxBinding",
			"io.github.onnxgpu.boot.model.OnnxInference",
			"io.github.onnxgpu.boot.model.OnnxModel",
			"io.github.onnxgpu.boot.model.OnnxModelBusyException",
			"io.github.onnxgpu.boot.model.OnnxModelBusyException.Reason",
			"io.github.onnxgpu.boot.model.OnnxModelRegistry",
			"io.github.onnxgpu.boot.model.OptimizationLevel",
			"io.github.onnxgpu.boot.model.OrtLogLevel",
			"io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer",
			"io.github.onnxgpu.boot.model.ProfileShapes",
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

}
