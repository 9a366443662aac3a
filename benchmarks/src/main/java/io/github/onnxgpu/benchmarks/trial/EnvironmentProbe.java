package io.github.onnxgpu.benchmarks.trial;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;

import io.github.onnxgpu.benchmarks.Json;

/**
 * Run in its own JVM before a suite: reports the ONNX Runtime version and the providers
 * of this build and, when asked, whether a session really runs on CUDA here, so that the
 * GPU mode can say why it was skipped.
 */
public final class EnvironmentProbe {

	private EnvironmentProbe() {
	}

	/**
	 * Probe.
	 * @param args optionally a model file to try a CUDA session with
	 */
	public static void main(String[] args) {
		Map<String, Object> report = new LinkedHashMap<>();
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		report.put("kind", "onnx-benchmark-environment");
		report.put("ortVersion", environment.getVersion());
		report.put("providers", OrtEnvironment.getAvailableProviders().stream().map(Enum::name).sorted().toList());
		if (args.length == 1) {
			report.put("cudaError", tryCuda(environment, Path.of(args[0])));
		}
		System.out.println(Json.line(report));
		System.out.flush();
		System.exit(0);
	}

	private static String tryCuda(OrtEnvironment environment, Path model) {
		try (SessionOptions options = new SessionOptions()) {
			options.addCUDA(0);
			try (OrtSession session = environment.createSession(model.toString(), options)) {
				return null;
			}
		}
		catch (OrtException | RuntimeException | UnsatisfiedLinkError ex) {
			String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getName();
			return message.strip();
		}
	}

}
