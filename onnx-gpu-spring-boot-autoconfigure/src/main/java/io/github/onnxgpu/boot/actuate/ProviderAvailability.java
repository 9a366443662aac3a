package io.github.onnxgpu.boot.actuate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ProviderDescriptor;
import io.github.onnxgpu.boot.internal.provider.CudaDriverProbe;

/**
 * Which execution providers the ONNX Runtime artifact on the class path has, and which of
 * those load on this host: ONNX Runtime's own list names every provider compiled in, CUDA
 * and TensorRT included on a host without a GPU.
 */
final class ProviderAvailability {

	// the providers the starter adds; others are listed as compiled in, not tried
	private static final Set<OrtProvider> STARTER_PROVIDERS = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA,
			OrtProvider.TENSOR_RT);

	// "... [ONNXRuntimeError] : 1 : FAIL : reason": the user needs the reason
	private static final Pattern ORT_ERROR = Pattern.compile("\\[ONNXRuntimeError\\] : \\d+ : \\w+ : (.*)",
			Pattern.DOTALL);

	private ProviderAvailability() {
	}

	/**
	 * Describe the providers, asking ONNX Runtime to add CUDA and TensorRT to session
	 * options where they are compiled in, unless the driver probe finds no NVIDIA driver:
	 * adding them unpacks their libraries first (the CUDA one is hundreds of megabytes),
	 * seconds spent on a host where they cannot load. The ONNX Runtime environment must
	 * exist.
	 * @param driverProbe the NVIDIA driver probe, {@code null} to try every provider
	 * @return the starter's providers and any other compiled in, in ONNX Runtime's order
	 */
	static List<ProviderDescriptor> describe(@Nullable CudaDriverProbe driverProbe) {
		String noDriver = (driverProbe != null) ? driverProbe.absenceReason() : null;
		Set<OrtProvider> compiledIn = OrtEnvironment.getAvailableProviders();
		List<ProviderDescriptor> providers = new ArrayList<>();
		for (OrtProvider provider : OrtProvider.values()) {
			boolean inBuild = compiledIn.contains(provider);
			if (!inBuild && !STARTER_PROVIDERS.contains(provider)) {
				continue;
			}
			if (!inBuild) {
				providers.add(new ProviderDescriptor(provider.name(), false, false,
						"not in this ONNX Runtime artifact: depend on com.microsoft.onnxruntime:onnxruntime_gpu"));
			}
			else if (!STARTER_PROVIDERS.contains(provider)) {
				providers.add(new ProviderDescriptor(provider.name(), true, null,
						"not tried: the starter does not " + "add it (an OrtSessionOptionsCustomizer can)"));
			}
			else {
				String failure = (noDriver != null && provider != OrtProvider.CPU) ? noDriver : loadFailure(provider);
				providers.add(new ProviderDescriptor(provider.name(), true, failure == null, failure));
			}
		}
		return List.copyOf(providers);
	}

	private static @Nullable String loadFailure(OrtProvider provider) {
		try (SessionOptions options = new SessionOptions()) {
			if (provider == OrtProvider.CUDA) {
				try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(0)) {
					options.addCUDA(cuda);
				}
			}
			else if (provider == OrtProvider.TENSOR_RT) {
				try (OrtTensorRTProviderOptions tensorrt = new OrtTensorRTProviderOptions(0)) {
					options.addTensorrt(tensorrt);
				}
			}
			return null;
		}
		catch (OrtException | RuntimeException | UnsatisfiedLinkError ex) {
			return reason(ex);
		}
	}

	private static String reason(Throwable failure) {
		String message = (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getName();
		Matcher matcher = ORT_ERROR.matcher(message);
		return (matcher.find() ? matcher.group(1) : message).strip();
	}

}
