package io.github.onnxgpu.boot.test;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;

/**
 * Whether ONNX Runtime's CUDA provider loads on this machine, asked once per JVM.
 */
public final class GpuAvailability {

	private static String failure;

	private static boolean checked;

	private GpuAvailability() {
	}

	public static synchronized boolean cudaLoads() {
		if (!checked) {
			checked = true;
			try (SessionOptions options = new SessionOptions()) {
				options.addCUDA(0);
			}
			catch (OrtException | RuntimeException | UnsatisfiedLinkError ex) {
				failure = ex.getMessage();
			}
		}
		return failure == null;
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
