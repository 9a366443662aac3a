package io.github.onnxgpu.boot.model;

import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtProvider;
import org.jspecify.annotations.Nullable;

/**
 * A configured model, as the application sees it: its name, its inputs and outputs, and
 * whether it is ready. Run it through {@link OnnxInference}.
 *
 * @since 0.1.0
 */
public interface OnnxModel {

	/**
	 * The model's name, the key under {@code onnx.models}.
	 * @return the name
	 */
	String name();

	/**
	 * The model's inputs, as ONNX Runtime reads them from the model.
	 * @return the inputs by name, in the model's order
	 */
	Map<String, NodeInfo> inputs();

	/**
	 * The model's outputs, as ONNX Runtime reads them from the model.
	 * @return the outputs by name, in the model's order
	 */
	Map<String, NodeInfo> outputs();

	/**
	 * The execution provider the model runs on: the one configured, or the one it fell
	 * back to (the {@code onnx} actuator endpoint says why).
	 * @return the provider in force
	 */
	OrtProvider activeProvider();

	/**
	 * The input shapes warmed at start-up, each with every input's dimensions: runs and
	 * bindings at these shapes meet no first-run cost.
	 * @return the warmed shapes, each a copy of the dimensions by input name
	 */
	List<Map<String, long[]>> warmupShapes();

	/**
	 * Where the model is in its life: loading, warming up, ready, failed.
	 * @return the status
	 */
	ModelStatus status();

	/**
	 * The outcome of the model's last warmup: at start-up, or of the version a reload
	 * swapped in.
	 * @return the outcome, {@code null} before a warmup has finished or when the model is
	 * not warmed
	 */
	@Nullable ModelWarmup warmup();

}
