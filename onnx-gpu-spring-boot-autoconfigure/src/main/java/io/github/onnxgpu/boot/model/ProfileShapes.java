package io.github.onnxgpu.boot.model;

/**
 * Where the TensorRT optimization profile of a model's dynamic inputs comes from when
 * none is configured explicitly.
 *
 * @since 0.1.0
 */
public enum ProfileShapes {

	/**
	 * From the model's warmup samples: the element-wise minimum, the first sample and the
	 * element-wise maximum, so that TensorRT builds for exactly the warmed shapes.
	 */
	AUTO,

	/**
	 * No profile: TensorRT builds for the shapes it meets and rebuilds for new ones.
	 */
	NONE

}
