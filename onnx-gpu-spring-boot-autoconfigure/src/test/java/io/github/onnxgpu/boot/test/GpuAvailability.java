package io.github.onnxgpu.boot.test;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;

import io.github.onnxgpu.boot.internal.session.OrtEnvironments;

/**
 * Whether ONNX Runtime's CUDA and TensorRT providers load on this machine, asked once per
 * JVM.
 */
public final class GpuAvailability {

	private static String failure;

	private static boolean checked;

	private static String tensorrtFailure;

	private static boolean tensorrtChecked;

	private GpuAvailability() {
	}

	public static synchronized boolean cudaLoads() {
		if (!checked) {
			checked = true;
			// the environment first, as the starter creates it: without one, options fail
			// with "Attempt to use DefaultLogger", which says nothing about CUDA
			OrtEnvironments.get();
			// as the starter adds it: then the message names the library that is missing
			try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(0);
					SessionOptions options = new SessionOptions()) {
				options.addCUDA(cuda);
			}
			catch (OrtException | RuntimeException | UnsatisfiedLinkError ex) {
				failure = ex.getMessage();
			}
		}
		return failure == null;
	}

	public static synchronized boolean tensorrtLoads() {
		if (!tensorrtChecked) {
			tensorrtChecked = true;
			// the environment first, as for CUDA
			OrtEnvironments.get();
			try (OrtTensorRTProviderOptions tensorrt = new OrtTensorRTProviderOptions(0);
					SessionOptions options = new SessionOptions()) {
				options.addTensorrt(tensorrt);
			}
			catch (OrtException | RuntimeException | UnsatisfiedLinkError ex) {
				tensorrtFailure = ex.getMessage();
			}
		}
		return tensorrtFailure == null;
	}

	/**
	 * Why TensorRT does not load.
	 * @return ONNX Runtime's message, or {@code null} when it loads
	 */
	public static synchronized String tensorrtFailure() {
		tensorrtLoads();
		return tensorrtFailure;
	}

	/**
	 * Why CUDA does not load.
	 * @return ONNX Runtime's message, or {@code null} when it loads
	 */
	public static synchronized String failure() {
		cudaLoads();
		return failure;
	}

}
