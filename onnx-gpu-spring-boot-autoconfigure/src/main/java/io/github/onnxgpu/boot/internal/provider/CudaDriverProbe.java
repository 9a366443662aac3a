package io.github.onnxgpu.boot.internal.provider;

import org.jspecify.annotations.Nullable;

/**
 * A cheap check whether this host can run CUDA at all, asked before ONNX Runtime's CUDA
 * provider is tried with a CPU fallback, because trying costs seconds (the provider
 * library is unpacked first) on hosts that have no chance.
 */
@FunctionalInterface
public interface CudaDriverProbe {

	/**
	 * Why this host clearly cannot run CUDA.
	 * @return the reason, {@code null} when CUDA may work and should be tried
	 */
	@Nullable String absenceReason();

}
