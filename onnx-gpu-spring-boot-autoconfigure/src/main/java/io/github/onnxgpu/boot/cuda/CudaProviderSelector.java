package io.github.onnxgpu.boot.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Decides which execution provider a model's session gets: CUDA when enabled and it can
 * be added; otherwise, as the fallback setting says, a start-up failure or the CPU.
 *
 * @since 0.1.0
 */
public class CudaProviderSelector {

	private static final Log logger = LogFactory.getLog(CudaProviderSelector.class);

	// "... [ONNXRuntimeError] : 1 : FAIL : reason" or "Error code - ORT_EP_FAIL -
	// message: reason"
	private static final Pattern ORT_ERROR = Pattern.compile(
			"(?:\\[ONNXRuntimeError\\] : \\d+ : \\w+ : |^Error code - \\w+ - message: (?!.*\\[ONNXRuntimeError\\]))(.*)",
			Pattern.DOTALL);

	private static final String NO_CUDA_IN_BUILD = "Failed to find CUDA shared provider";

	private final CudaProviderInstaller installer;

	private final @Nullable CudaDriverProbe probe;

	public CudaProviderSelector(CudaProviderInstaller installer) {
		this(installer, null);
	}

	/**
	 * Create a selector that, for models allowed to fall back to the CPU, first asks a
	 * probe whether trying CUDA makes sense at all.
	 * @param installer adds the CUDA provider
	 * @param probe the driver probe, {@code null} to always try
	 */
	public CudaProviderSelector(CudaProviderInstaller installer, @Nullable CudaDriverProbe probe) {
		this.installer = installer;
		this.probe = probe;
	}

	/**
	 * Add the CUDA provider to the options when the settings ask for it.
	 * @param modelName the model's name, for messages
	 * @param settings the model's CUDA settings
	 * @param options the session options
	 * @return the provider chosen; when it is a fallback, the options were left without
	 * CUDA and must be discarded in favour of fresh ones
	 * @throws OnnxModelException when CUDA cannot be added and the fallback is FAIL
	 */
	public ProviderChoice select(String modelName, CudaSettings settings, SessionOptions options) {
		if (!settings.enabled()) {
			return new ProviderChoice(OrtProvider.CPU, OrtProvider.CPU, null);
		}
		String absence = (settings.fallback() == CudaFallback.CPU && this.probe != null) ? this.probe.absenceReason()
				: null;
		if (absence != null) {
			logger.warn("ONNX model '" + modelName + "' runs on the CPU: " + absence
					+ " (set onnx.cuda.probe=false to try anyway)");
			return new ProviderChoice(OrtProvider.CUDA, OrtProvider.CPU, absence);
		}
		try {
			this.installer.install(options, settings);
			return new ProviderChoice(OrtProvider.CUDA, OrtProvider.CUDA, null);
		}
		catch (Exception | UnsatisfiedLinkError ex) {
			return fallBack(modelName, settings, ex);
		}
	}

	private ProviderChoice fallBack(String modelName, CudaSettings settings, Throwable failure) {
		String reason = reason(failure);
		if (settings.fallback() == CudaFallback.FAIL) {
			String remedy = reason.contains(NO_CUDA_IN_BUILD)
					? "this ONNX Runtime build has no CUDA provider: depend on com.microsoft.onnxruntime:onnxruntime_gpu "
							+ "instead of com.microsoft.onnxruntime:onnxruntime"
					: "install the CUDA 12 and cuDNN 9 libraries that ONNX Runtime needs and an NVIDIA driver";
			throw new OnnxModelException(modelName, "onnx.cuda.fallback",
					"the CUDA execution provider cannot be added: " + reason,
					remedy + ", or set onnx.cuda.fallback=cpu to run on the CPU, or onnx.cuda.enabled=false", failure);
		}
		logger.warn("ONNX model '" + modelName + "' runs on the CPU: the CUDA execution provider cannot be added ("
				+ reason + ")");
		return new ProviderChoice(OrtProvider.CUDA, OrtProvider.CPU, reason);
	}

	private static String reason(Throwable failure) {
		String message = (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getName();
		// ORT prefixes the source location and error code; the user needs what follows
		Matcher matcher = ORT_ERROR.matcher(message);
		return (matcher.find() ? matcher.group(1) : message).strip();
	}

}
