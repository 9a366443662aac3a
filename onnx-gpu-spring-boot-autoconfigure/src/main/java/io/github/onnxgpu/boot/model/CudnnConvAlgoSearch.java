package io.github.onnxgpu.boot.model;

/**
 * How cuDNN picks a convolution algorithm for each new input shape (ONNX Runtime's
 * {@code cudnn_conv_algo_search}).
 *
 * @since 0.1.0
 */
public enum CudnnConvAlgoSearch {

	/**
	 * Benchmark every algorithm on the first run of each shape: the fastest steady state,
	 * and the slowest first run of a new shape.
	 */
	EXHAUSTIVE,

	/**
	 * Ask cuDNN's heuristics: a cheap first run and, for most models, nearly the same
	 * steady state as EXHAUSTIVE.
	 */
	HEURISTIC,

	/**
	 * Always use the default algorithm: no search at all, but often a much slower steady
	 * state.
	 */
	DEFAULT;

	/**
	 * The value as ONNX Runtime spells it.
	 * @return the option value
	 */
	public String ortValue() {
		return name();
	}

}
