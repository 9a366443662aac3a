package io.github.onnxgpu.boot.autoconfigure;

/**
 * Why CUDA graphs are refused at start-up. ONNX Runtime's {@code InferenceSession::Run}
 * checks first whether a graph was captured and, if so, only replays it: it neither
 * validates nor copies the new inputs nor fills the outputs, and the replayed kernels
 * read and write the device addresses captured in the first runs. C++ and Python callers
 * keep those addresses fixed with IoBinding, which ONNX Runtime's Java API does not have,
 * so a Java run after capture would compute on stale device memory.
 */
final class CudaGraphs {

	/**
	 * ONNX Runtime's CUDA key for CUDA graphs.
	 */
	static final String CUDA_KEY = "enable_cuda_graph";

	static final String WHY_NOT = "CUDA graphs need inputs and outputs at fixed device addresses (IoBinding), which "
			+ "ONNX Runtime's Java API lacks: once a graph is captured, ONNX Runtime replays it on every run without "
			+ "copying the new inputs or filling the outputs, so results would come from stale device memory";

	static final String WHAT_INSTEAD = "TensorRT with its engine cache, or CUDA with warmup, gives the start-up "
			+ "and steady speed without it";

	private CudaGraphs() {
	}

}
