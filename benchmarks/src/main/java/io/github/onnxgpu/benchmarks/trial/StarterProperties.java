package io.github.onnxgpu.benchmarks.trial;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.onnxgpu.benchmarks.trial.TrialSpec.ModelSpec;

/**
 * The Spring properties that configure the starter as a trial spec says: what a user
 * writes in {@code application.yml}.
 */
public final class StarterProperties {

	private StarterProperties() {
	}

	/**
	 * The properties of a trial.
	 * @param spec the trial
	 * @return the properties
	 */
	public static Map<String, Object> of(TrialSpec spec) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.web-application-type", "none");
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.main.log-startup-info", "false");
		properties.put("logging.level.root", "WARN");
		ProviderSpec provider = spec.provider();
		properties.put("onnx.cuda.enabled", provider.cuda());
		properties.put("onnx.cuda.fallback", provider.fallbackToCpu() ? "cpu" : "fail");
		if (provider.cudnnConvAlgoSearch() != null) {
			properties.put("onnx.cuda.cudnn-conv-algo-search", provider.cudnnConvAlgoSearch());
		}
		if (provider.cudnnConv1dPadToNc1d() != null) {
			properties.put("onnx.cuda.cudnn-conv1d-pad-to-nc1d", provider.cudnnConv1dPadToNc1d());
		}
		properties.put("onnx.warmup.enabled", spec.warmup().enabled());
		if (spec.warmup().enabled()) {
			properties.put("onnx.warmup.iterations", spec.warmup().iterations());
			properties.put("onnx.warmup.parallelism", spec.warmup().parallelism());
		}
		for (ModelSpec model : spec.models()) {
			String prefix = "onnx.models." + model.name() + ".";
			properties.put(prefix + "location", Path.of(model.file()).toUri().toString());
			if (provider.intraOpThreads() != null) {
				properties.put(prefix + "session.intra-op-threads", provider.intraOpThreads());
			}
			List<Map<String, String>> shapes = model.warmupShapes();
			for (int i = 0; i < shapes.size(); i++) {
				int index = i;
				shapes.get(i)
					.forEach((input, dims) -> properties.put(prefix + "warmup.shapes[" + index + "]." + input, dims));
			}
		}
		properties.putAll(spec.extraProperties());
		return properties;
	}

}
