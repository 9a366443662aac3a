package io.github.onnxgpu.boot.internal.provider;

/**
 * What the compiled-model (EP-context) cache of a model did at start-up.
 */
public enum CompiledModelState {

	/**
	 * A compiled model for this model, provider, devices and settings was there and ONNX
	 * Runtime said it fits the devices and driver: it was loaded, not compiled.
	 */
	HIT,

	/**
	 * None was there: the model was compiled and the result kept.
	 */
	BUILT,

	/**
	 * One was there, but ONNX Runtime said it should be compiled again
	 * ({@code EP_SUPPORTED_PREFER_RECOMPILATION}) or no longer fits
	 * ({@code EP_UNSUPPORTED}), after a driver or provider update: it was compiled again
	 * and replaced.
	 */
	RECOMPILED

}
