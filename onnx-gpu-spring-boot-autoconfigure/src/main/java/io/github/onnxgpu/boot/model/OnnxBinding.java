package io.github.onnxgpu.boot.model;

import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OrtException;

/**
 * Inputs and outputs bound to memory that is reused from run to run, the Java counterpart
 * of ONNX Runtime's IoBinding: a run copies no input and allocates no output it does not
 * have to. Borrowed from {@link OnnxInference#binding} and given back by
 * {@link #close()}: <pre>{@code
 * try (OnnxBinding binding = inference.binding("detector", Map.of("x", new long[] { 1, 3, 640, 640 }))) {
 *     binding.input("x").asFloatBuffer().put(pixels);
 *     binding.run();
 *     FloatBuffer probability = binding.output("probability").asFloatBuffer();
 *     // use the output before close(): the buffers are reused
 * }
 * }</pre> Inputs are direct, native-order buffers that ONNX Runtime reads in place.
 * Outputs whose shapes are known before the run (static in the model, or recorded by a
 * warmup at the same input shapes) are pinned: ONNX Runtime writes them into the
 * binding's own buffers. Other outputs are returned by ONNX Runtime as usual and read
 * through {@link #output} too; {@link #pinnedOutputs()} says which are which.
 * <p>
 * A binding is used by one thread at a time. Its buffers keep their values between runs
 * and borrowers: write every input before each run.
 *
 * @since 0.1.0
 */
public interface OnnxBinding extends AutoCloseable {

	/**
	 * The model this binding runs.
	 * @return the model's name
	 */
	String modelName();

	/**
	 * Every input's dimensions, the named ones and those inferred.
	 * @return a copy of the dimensions by input name, in the model's input order
	 */
	Map<String, long[]> inputShapes();

	/**
	 * An input, to be written before {@link #run()}.
	 * @param name the input's name
	 * @return the input
	 * @throws IllegalArgumentException when the model has no such input
	 */
	BoundTensor input(String name);

	/**
	 * The outputs ONNX Runtime writes into this binding's own buffers.
	 * @return their names
	 */
	Set<String> pinnedOutputs();

	/**
	 * Run the model on the inputs as they are now. Like {@link OnnxInference#run}, the
	 * run is counted against the session's shutdown and observed as
	 * {@code onnx.inference}.
	 * @throws OrtException when ONNX Runtime fails
	 * @throws IllegalStateException when the binding or the model is closed
	 */
	void run() throws OrtException;

	/**
	 * An output of the last run: pinned, a view of this binding's buffer; otherwise what
	 * ONNX Runtime returned, valid until the next run or {@link #close()}.
	 * @param name the output's name
	 * @return the output
	 * @throws IllegalArgumentException when the model has no such output
	 * @throws IllegalStateException before a successful run, or when the output is not a
	 * tensor
	 */
	BoundTensor output(String name);

	/**
	 * Give the binding back to its pool. Its buffers may be handed to another borrower at
	 * once: do not use them, or outputs read from them, afterwards.
	 */
	@Override
	void close();

}
