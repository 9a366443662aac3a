package io.github.onnxgpu.boot.internal.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.model.CudaFallback;

/**
 * Decides which execution provider a model's session gets, along the chain ONNX Runtime
 * recommends: TensorRT when enabled, with CUDA registered after it for the nodes TensorRT
 * does not take; CUDA alone when TensorRT cannot be added; then, as the fallback setting
 * says, a start-up failure or the CPU. Every step that fails is recorded with its reason.
 */
public class CudaProviderSelector {

	private static final Log logger = LogFactory.getLog(CudaProviderSelector.class);

	// "... [ONNXRuntimeError] : 1 : FAIL : reason" or "Error code - ORT_EP_FAIL -
	// message: reason"
	private static final Pattern ORT_ERROR = Pattern.compile(
			"(?:\\[ONNXRuntimeError\\] : \\d+ : \\w+ : |^Error code - \\w+ - message: (?!.*\\[ONNXRuntimeError\\]))(.*)",
			Pattern.DOTALL);

	private static final String NO_CUDA_IN_BUILD = "Failed to find CUDA shared provider";

	private static final String NO_TENSORRT_IN_BUILD = "Failed to find TensorRT shared provider";

	private final CudaProviderInstaller installer;

	private final @Nullable CudaDriverProbe probe;

	private final TensorrtProviderInstaller tensorrtInstaller;

	// a model tuned at start-up creates a session per candidate: one line per reason
	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	public CudaProviderSelector(CudaProviderInstaller installer) {
		this(installer, null);
	}

	/**
	 * Create a selector that, for models allowed to fall back to the CPU, first asks a
	 * probe whether trying CUDA makes sense at all.
	 * @param installer adds the CUDA provider
	 * @param probe the driver probe, or {@code null} to always try
	 */
	public CudaProviderSelector(CudaProviderInstaller installer, @Nullable CudaDriverProbe probe) {
		this(installer, probe, TensorrtProviderInstaller.ONNX_RUNTIME);
	}

	/**
	 * Create a selector for the whole chain.
	 * @param installer adds the CUDA provider
	 * @param probe the driver probe, or {@code null} to always try
	 * @param tensorrtInstaller adds the TensorRT provider
	 */
	public CudaProviderSelector(CudaProviderInstaller installer, @Nullable CudaDriverProbe probe,
			TensorrtProviderInstaller tensorrtInstaller) {
		this.installer = installer;
		this.probe = probe;
		this.tensorrtInstaller = tensorrtInstaller;
	}

	/**
	 * Add the CUDA provider to the options when the settings ask for it.
	 * @param modelName the model's name, for messages
	 * @param settings the model's CUDA settings
	 * @param options the session options
	 * @return the provider chosen; when it is the CPU after a failure, the options must
	 * be discarded in favour of fresh ones
	 * @throws OnnxModelException when CUDA cannot be added and the fallback is FAIL
	 */
	public ProviderChoice select(String modelName, CudaSettings settings, SessionOptions options) {
		return select(modelName, settings, null, options);
	}

	/**
	 * Add TensorRT, then CUDA, as the settings ask.
	 * @param modelName the model's name, for messages
	 * @param settings the model's CUDA settings
	 * @param tensorrt the TensorRT options to send, asked only when TensorRT is tried, or
	 * {@code null} when TensorRT is not enabled
	 * @param options the session options
	 * @return the provider chosen; when it is the CPU after a failure, the options must
	 * be discarded in favour of fresh ones
	 * @throws OnnxModelException when no GPU provider can be added and the fallback is
	 * FAIL, or when the TensorRT options are invalid for the model
	 */
	public ProviderChoice select(String modelName, CudaSettings settings,
			@Nullable Supplier<Map<String, String>> tensorrt, SessionOptions options) {
		if (tensorrt == null && !settings.enabled()) {
			return ProviderChoice.as(OrtProvider.CPU);
		}
		OrtProvider requested = (tensorrt != null) ? OrtProvider.TENSOR_RT : OrtProvider.CUDA;
		List<String> reasons = new ArrayList<>();
		String absence = (settings.fallback() == CudaFallback.CPU && this.probe != null) ? this.probe.absenceReason()
				: null;
		if (absence != null) {
			warnOnce("ONNX model '" + modelName + "' runs on the CPU: " + absence
					+ " (set onnx.cuda.probe=false to try anyway)");
			if (tensorrt != null) {
				reasons.add(OrtProvider.TENSOR_RT.name() + ": " + absence);
			}
			reasons.add(OrtProvider.CUDA.name() + ": " + absence);
			return new ProviderChoice(requested, OrtProvider.CPU, absence, reasons);
		}
		Throwable firstFailure = null;
		if (tensorrt != null) {
			// options invalid for the model are the user's to fix, not a reason to fall
			// back
			Map<String, String> tensorrtOptions = tensorrt.get();
			try {
				this.tensorrtInstaller.install(options, tensorrtOptions);
				return withCudaAfterTensorrt(modelName, settings, options);
			}
			catch (Exception | UnsatisfiedLinkError ex) {
				// ONNX Runtime appends a provider only once its library loaded, so a
				// failed
				// attempt leaves the options as they were and CUDA can still be added
				firstFailure = ex;
				reasons.add(OrtProvider.TENSOR_RT.name() + ": " + reason(ex));
				warnOnce("ONNX model '" + modelName + "': the TensorRT execution provider cannot be added ("
						+ reason(ex) + "); trying CUDA");
			}
		}
		return withoutTensorrt(modelName, settings, requested, reasons, firstFailure, options);
	}

	/**
	 * Go on without TensorRT after a session with it could not be created (an engine that
	 * cannot be built, say): CUDA alone, then the fallback.
	 * @param modelName the model's name, for messages
	 * @param settings the model's CUDA settings
	 * @param failure why the session with TensorRT could not be created
	 * @param options fresh session options
	 * @return the provider chosen, with the TensorRT failure as its first reason
	 * @throws OnnxModelException when CUDA cannot be added either and the fallback is
	 * FAIL
	 */
	public ProviderChoice selectAfterTensorrtFailure(String modelName, CudaSettings settings, Throwable failure,
			SessionOptions options) {
		List<String> reasons = new ArrayList<>();
		reasons.add(OrtProvider.TENSOR_RT.name() + ": the session cannot be created with it: " + reason(failure));
		warnOnce("ONNX model '" + modelName + "': " + reasons.get(0) + "; trying CUDA");
		return withoutTensorrt(modelName, settings, OrtProvider.TENSOR_RT, reasons, failure, options);
	}

	private ProviderChoice withoutTensorrt(String modelName, CudaSettings settings, OrtProvider requested,
			List<String> reasons, Throwable firstFailure, SessionOptions options) {
		if (settings.enabled()) {
			try {
				this.installer.install(options, settings);
				return new ProviderChoice(requested, OrtProvider.CUDA, summary(reasons), reasons);
			}
			catch (Exception | UnsatisfiedLinkError ex) {
				reasons.add(OrtProvider.CUDA.name() + ": " + reason(ex));
				return fallBack(modelName, settings, requested, reasons, (firstFailure != null) ? firstFailure : ex);
			}
		}
		else {
			reasons.add(OrtProvider.CUDA.name() + ": disabled by onnx.cuda.enabled=false");
		}
		return fallBack(modelName, settings, requested, reasons, firstFailure);
	}

	/**
	 * Register CUDA after TensorRT, as ONNX Runtime recommends, so that nodes TensorRT
	 * does not take run on the GPU rather than the CPU.
	 * @param modelName the model's name, for messages
	 * @param settings the model's CUDA settings
	 * @param options the session options TensorRT was added to
	 * @return the choice of TensorRT, with a reason when CUDA could not follow it
	 */
	private ProviderChoice withCudaAfterTensorrt(String modelName, CudaSettings settings, SessionOptions options) {
		if (!settings.enabled()) {
			return ProviderChoice.as(OrtProvider.TENSOR_RT);
		}
		try {
			this.installer.install(options, settings);
			return ProviderChoice.as(OrtProvider.TENSOR_RT);
		}
		catch (Exception | UnsatisfiedLinkError ex) {
			String reason = OrtProvider.CUDA.name() + ": " + reason(ex);
			warnOnce("ONNX model '" + modelName + "' runs on TensorRT with the CPU, not CUDA, for the nodes "
					+ "TensorRT does not take (" + reason + ")");
			return new ProviderChoice(OrtProvider.TENSOR_RT, OrtProvider.TENSOR_RT, null, List.of(reason));
		}
	}

	private ProviderChoice fallBack(String modelName, CudaSettings settings, OrtProvider requested,
			List<String> reasons, Throwable failure) {
		String reason = (requested == OrtProvider.CUDA) ? reason(failure) : summary(reasons);
		if (settings.fallback() == CudaFallback.FAIL) {
			throw failure(modelName, requested, reason, failure);
		}
		warnOnce("ONNX model '" + modelName + "' runs on the CPU: " + reasons);
		return new ProviderChoice(requested, OrtProvider.CPU, reason, reasons);
	}

	private static OnnxModelException failure(String modelName, OrtProvider requested, String reason,
			Throwable failure) {
		String cause = reason(failure);
		if (requested == OrtProvider.TENSOR_RT) {
			String remedy = cause.contains(NO_TENSORRT_IN_BUILD)
					? "this ONNX Runtime build has no TensorRT provider: depend on "
							+ "com.microsoft.onnxruntime:onnxruntime_gpu"
					: "install the TensorRT 10, CUDA 12 and cuDNN 9 libraries that ONNX Runtime needs and an "
							+ "NVIDIA driver";
			return new OnnxModelException(modelName, "onnx.cuda.fallback",
					"the TensorRT execution provider cannot be added (" + reason + ")",
					remedy + ", or set onnx.cuda.fallback=cpu to run on the CPU, or onnx.tensorrt.enabled=false",
					failure);
		}
		String remedy = cause.contains(NO_CUDA_IN_BUILD)
				? "this ONNX Runtime build has no CUDA provider: depend on com.microsoft.onnxruntime:onnxruntime_gpu "
						+ "instead of com.microsoft.onnxruntime:onnxruntime"
				: "install the CUDA 12 and cuDNN 9 libraries that ONNX Runtime needs and an NVIDIA driver";
		return new OnnxModelException(modelName, "onnx.cuda.fallback",
				"the CUDA execution provider cannot be added: " + reason,
				remedy + ", or set onnx.cuda.fallback=cpu to run on the CPU, or onnx.cuda.enabled=false", failure);
	}

	private static @Nullable String summary(List<String> reasons) {
		return reasons.isEmpty() ? null : String.join("; then ", reasons);
	}

	static String reason(Throwable failure) {
		String message = (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getName();
		// ORT prefixes the source location and error code; the user needs what follows
		Matcher matcher = ORT_ERROR.matcher(message);
		return (matcher.find() ? matcher.group(1) : message).strip();
	}

	private void warnOnce(String message) {
		if (this.warned.add(message)) {
			logger.warn(message);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
	}

}
