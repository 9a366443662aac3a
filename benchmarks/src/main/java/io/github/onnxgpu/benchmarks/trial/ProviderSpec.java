package io.github.onnxgpu.benchmarks.trial;

/**
 * The execution provider of a trial: the CPU, or CUDA with the cuDNN options the GPU mode
 * compares, and the session's intra-op thread count where a scenario sets it.
 *
 * @param cuda whether to use the CUDA execution provider
 * @param fallbackToCpu whether a CUDA provider that cannot be added falls back to the CPU
 * (the starter's {@code onnx.cuda.fallback=cpu}) instead of failing the trial
 * @param cudnnConvAlgoSearch EXHAUSTIVE, HEURISTIC or DEFAULT; {@code null} keeps ONNX
 * Runtime's default
 * @param cudnnConv1dPadToNc1d whether 1-D convolutions are padded to [N, C, 1, D];
 * {@code null} keeps ONNX Runtime's default
 * @param intraOpThreads the session's intra-op threads (the starter's
 * {@code session.intra-op-threads} of every model, {@code setIntraOpNumThreads} by hand);
 * {@code null} keeps ONNX Runtime's default of one per core
 */
public record ProviderSpec(boolean cuda, boolean fallbackToCpu, String cudnnConvAlgoSearch,
		Boolean cudnnConv1dPadToNc1d, Integer intraOpThreads) {

	/**
	 * The CPU execution provider only.
	 * @return the spec
	 */
	public static ProviderSpec cpu() {
		return new ProviderSpec(false, false, null, null, null);
	}

	/**
	 * CUDA with the given cuDNN options, failing when it cannot be added.
	 * @param algoSearch the convolution algorithm search
	 * @param padToNc1d the 1-D convolution padding
	 * @return the spec
	 */
	public static ProviderSpec cuda(String algoSearch, Boolean padToNc1d) {
		return new ProviderSpec(true, false, algoSearch, padToNc1d, null);
	}

	/**
	 * CUDA as the starter tries it with {@code onnx.cuda.fallback=cpu}.
	 * @return the spec
	 */
	public static ProviderSpec cudaOrCpu() {
		return new ProviderSpec(true, true, null, null, null);
	}

	/**
	 * A copy with other cuDNN options.
	 * @param algoSearch the convolution algorithm search
	 * @param padToNc1d the 1-D convolution padding
	 * @return the copy
	 */
	public ProviderSpec withCudnn(String algoSearch, Boolean padToNc1d) {
		return new ProviderSpec(this.cuda, this.fallbackToCpu, algoSearch, padToNc1d, this.intraOpThreads);
	}

	/**
	 * A copy with another intra-op thread count.
	 * @param threads the threads, or {@code null} for ONNX Runtime's default
	 * @return the copy
	 */
	public ProviderSpec withIntraOpThreads(Integer threads) {
		return new ProviderSpec(this.cuda, this.fallbackToCpu, this.cudnnConvAlgoSearch, this.cudnnConv1dPadToNc1d,
				threads);
	}

	/**
	 * A short label for tables.
	 * @return such as {@code cpu}, {@code cpu threads=1} or
	 * {@code cuda algo=HEURISTIC pad-nc1d=1}
	 */
	public String label() {
		StringBuilder label = new StringBuilder(
				!this.cuda ? "cpu" : this.fallbackToCpu ? "cuda (fallback cpu)" : "cuda");
		if (this.cudnnConvAlgoSearch != null) {
			label.append(" algo=").append(this.cudnnConvAlgoSearch);
		}
		if (this.cudnnConv1dPadToNc1d != null) {
			label.append(" pad-nc1d=").append(this.cudnnConv1dPadToNc1d ? 1 : 0);
		}
		if (this.intraOpThreads != null) {
			label.append(" threads=").append(this.intraOpThreads);
		}
		return label.toString();
	}

}
