package io.github.onnxgpu.boot.model;

/**
 * A kind of hardware device, as ONNX Runtime's device discovery reports it, to select the
 * devices an execution provider asked for by name runs on.
 *
 * @since 0.1.0
 */
public enum DeviceType {

	/**
	 * The host's processor.
	 */
	CPU,

	/**
	 * A graphics processor, such as an NVIDIA GPU.
	 */
	GPU,

	/**
	 * A neural processing unit, such as a Qualcomm Hexagon or an Intel NPU.
	 */
	NPU

}
