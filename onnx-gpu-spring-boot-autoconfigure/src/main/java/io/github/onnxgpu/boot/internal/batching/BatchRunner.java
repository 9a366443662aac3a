package io.github.onnxgpu.boot.internal.batching;

import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;

/**
 * Runs one batch on the model, counted and observed as any run of the model.
 */
@FunctionalInterface
public interface BatchRunner {

	/**
	 * Run the model.
	 * @param inputs the stacked inputs
	 * @param outputs the outputs to compute into the result
	 * @param pinned outputs to write into tensors of the batcher's (over its buffers),
	 * not in the result
	 * @return the result, closed by the batcher
	 * @throws OrtException when ONNX Runtime fails
	 */
	Result run(Map<String, OnnxTensor> inputs, Set<String> outputs, Map<String, OnnxTensor> pinned) throws OrtException;

}
