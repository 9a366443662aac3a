package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.provider.CudaSettings;
import io.github.onnxgpu.boot.internal.provider.TensorrtProfile;
import io.github.onnxgpu.boot.internal.provider.TensorrtSettings;
import io.github.onnxgpu.boot.internal.warmup.Dimensions;
import io.github.onnxgpu.boot.model.ProfileShapes;

/**
 * Maps the typed {@code onnx.tensorrt.*} properties, with a model's overrides, to ONNX
 * Runtime's TensorRT provider option names and value spellings, and checks what can be
 * checked without the model: sizes, levels and the explicit profile's own consistency.
 */
final class TensorrtOptionsMapper {

	/**
	 * ONNX Runtime's TensorRT key for CUDA graphs, which the Java API cannot use safely.
	 */
	static final String CUDA_GRAPH = "trt_cuda_graph_enable";

	private final String modelName;

	private final OnnxProperties.Tensorrt shared;

	private final OnnxModelProperties.Tensorrt model;

	private final Map<String, String> options = new LinkedHashMap<>();

	private TensorrtOptionsMapper(String modelName, OnnxProperties.Tensorrt shared,
			OnnxModelProperties.Tensorrt model) {
		this.modelName = modelName;
		this.shared = shared;
		this.model = model;
	}

	static TensorrtSettings map(String modelName, OnnxProperties.Tensorrt shared, OnnxModelProperties.Tensorrt model,
			CudaSettings cuda) {
		return new TensorrtOptionsMapper(modelName, shared, model).map(cuda);
	}

	private TensorrtSettings map(CudaSettings cuda) {
		Boolean fp16 = pick(TensorrtOptions::getFp16);
		if (fp16 != null) {
			this.options.put("trt_fp16_enable", fp16 ? "1" : "0");
		}
		DataSize workspace = pick(TensorrtOptions::getMaxWorkspaceSize);
		if (workspace != null) {
			if (workspace.toBytes() <= 0) {
				throw invalid("max-workspace-size", TensorrtOptions::getMaxWorkspaceSize,
						"the TensorRT workspace must be larger than 0 but is " + workspace,
						"a size such as 1GB, or leave it unset for ONNX Runtime's default");
			}
			this.options.put("trt_max_workspace_size", Long.toString(workspace.toBytes()));
		}
		Integer level = pick(TensorrtOptions::getBuilderOptimizationLevel);
		if (level != null) {
			if (level < 0 || level > 5) {
				throw invalid("builder-optimization-level", TensorrtOptions::getBuilderOptimizationLevel,
						"the TensorRT builder optimization level must be 0 to 5 but is " + level,
						"a level from 0 (fastest build) to 5 (fastest engine); ONNX Runtime's default is 3");
			}
			this.options.put("trt_builder_optimization_level", Integer.toString(level));
		}
		this.options.putAll(this.shared.getOptions());
		this.options.putAll(this.model.getOptions());
		rejectCudaGraph();
		boolean enabled = Inheritance.resolve(this.model.getEnabled(), this.shared.isEnabled());
		CacheProperties modelEngineCache = this.model.getEngineCache();
		CacheProperties sharedEngineCache = this.shared.getEngineCache();
		boolean engineCache = !Boolean.FALSE
			.equals(Inheritance.resolve(modelEngineCache.getEnabled(), sharedEngineCache.getEnabled()));
		Path engineRoot = Inheritance.resolve(modelEngineCache.getDirectory(), sharedEngineCache.getDirectory());
		CacheProperties modelTimingCache = this.model.getTimingCache();
		CacheProperties sharedTimingCache = this.shared.getTimingCache();
		boolean timingCache = !Boolean.FALSE
			.equals(Inheritance.resolve(modelTimingCache.getEnabled(), sharedTimingCache.getEnabled()));
		Path timingRoot = Inheritance.resolve(modelTimingCache.getDirectory(), sharedTimingCache.getDirectory());
		ProfileShapes profileShapes = Inheritance.resolve(this.model.getProfileShapes(),
				this.shared.getProfileShapes());
		return new TensorrtSettings(enabled, cuda.deviceId(), this.options, engineCache, engineRoot, timingCache,
				timingRoot, profileShapes, profile());
	}

	private void rejectCudaGraph() {
		String value = this.options.get(CUDA_GRAPH);
		if (value != null && !value.equals("0") && !value.equalsIgnoreCase("false")) {
			String property = (this.model.getOptions().containsKey(CUDA_GRAPH))
					? OnnxModelException.modelProperty(this.modelName, "tensorrt.options." + CUDA_GRAPH)
					: "onnx.tensorrt.options." + CUDA_GRAPH;
			throw new OnnxModelException(this.modelName, property, CudaGraphs.WHY_NOT,
					"remove " + property + " (" + CudaGraphs.WHAT_INSTEAD + ")");
		}
	}

	private @Nullable TensorrtProfile profile() {
		OnnxModelProperties.Profile configured = this.model.getProfile();
		if (configured.getMin().isEmpty() && configured.getOpt().isEmpty() && configured.getMax().isEmpty()) {
			return null;
		}
		String property = OnnxModelException.modelProperty(this.modelName, "tensorrt.profile");
		Map<String, long[]> min = parse(property + ".min", configured.getMin());
		Map<String, long[]> opt = parse(property + ".opt", configured.getOpt());
		Map<String, long[]> max = parse(property + ".max", configured.getMax());
		for (String input : union(min, opt, max)) {
			long[] low = min.get(input);
			long[] mid = opt.get(input);
			long[] high = max.get(input);
			if (low == null || mid == null || high == null) {
				String missing = (low != null) ? ((mid != null) ? "max" : "opt") : "min";
				throw new OnnxModelException(this.modelName, property + "." + missing + "." + input,
						"the TensorRT profile gives input '" + input + "' no " + missing + " shape",
						"give every profiled input a min, an opt and a max shape");
			}
			if (low.length != mid.length || mid.length != high.length) {
				throw new OnnxModelException(this.modelName, property + ".max." + input,
						"the TensorRT profile of input '" + input + "' has shapes of different ranks: min "
								+ Dimensions.format(low) + ", opt " + Dimensions.format(mid) + ", max "
								+ Dimensions.format(high),
						"give min, opt and max the same number of dimensions");
			}
			for (int i = 0; i < low.length; i++) {
				if (low[i] > mid[i] || mid[i] > high[i]) {
					throw new OnnxModelException(this.modelName, property + ".max." + input,
							"the TensorRT profile of input '" + input + "' needs min <= opt <= max in every "
									+ "dimension, but dimension " + i + " is " + low[i] + ", " + mid[i] + ", " + high[i]
									+ " (min " + Dimensions.format(low) + ", opt " + Dimensions.format(mid) + ", max "
									+ Dimensions.format(high) + ")",
							"make min the smallest and max the largest shape of input '" + input + "'");
				}
			}
		}
		return new TensorrtProfile(min, opt, max);
	}

	private static Set<String> union(Map<String, long[]> min, Map<String, long[]> opt, Map<String, long[]> max) {
		Set<String> inputs = new LinkedHashSet<>(min.keySet());
		inputs.addAll(opt.keySet());
		inputs.addAll(max.keySet());
		return inputs;
	}

	private Map<String, long[]> parse(String property, Map<String, String> configured) {
		Map<String, long[]> shapes = new LinkedHashMap<>();
		configured.forEach((input, text) -> {
			// the warmup shapes' grammar; a profile is for dynamic dimensions, a scalar
			// has none
			long[] dims = (text != null) ? Dimensions.parse(text) : new long[0];
			if (dims == null || (text != null && dims.length == 0)) {
				throw new OnnxModelException(this.modelName, property + "." + input,
						"TensorRT profile shape '" + text + "' of input '" + input
								+ "' is not all positive whole numbers",
						"write the dimensions as positive numbers separated by 'x', such as 1x3x640x640");
			}
			shapes.put(input, dims);
		});
		return shapes;
	}

	private <T> @Nullable T pick(Function<TensorrtOptions, @Nullable T> getter) {
		// no default: an option set nowhere keeps ONNX Runtime's own
		return Inheritance.resolve(this.model, this.shared, getter);
	}

	private OnnxModelException invalid(String key, Function<TensorrtOptions, ?> getter, String problem,
			String example) {
		boolean perModel = getter.apply(this.model) != null;
		String property = perModel ? OnnxModelException.modelProperty(this.modelName, "tensorrt." + key)
				: "onnx.tensorrt." + key;
		return new OnnxModelException(this.modelName, property, problem, "set " + property + " to " + example);
	}

}
