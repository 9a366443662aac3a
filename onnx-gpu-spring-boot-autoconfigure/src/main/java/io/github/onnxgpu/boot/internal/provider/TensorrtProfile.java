package io.github.onnxgpu.boot.internal.provider;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.Dimensions;
import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;

/**
 * A TensorRT optimization profile: for each input with dynamic dimensions, the smallest,
 * the optimal and the largest shape the engine is built for. A request outside the
 * profile makes TensorRT build another engine (or fail), at request time.
 *
 * @param min the smallest shape of each input
 * @param opt the shape TensorRT tunes for
 * @param max the largest shape of each input
 */
public record TensorrtProfile(Map<String, long[]> min, Map<String, long[]> opt, Map<String, long[]> max) {

	/**
	 * ONNX Runtime's option for the smallest shapes.
	 */
	public static final String MIN_SHAPES = "trt_profile_min_shapes";

	/**
	 * ONNX Runtime's option for the optimal shapes.
	 */
	public static final String OPT_SHAPES = "trt_profile_opt_shapes";

	/**
	 * ONNX Runtime's option for the largest shapes.
	 */
	public static final String MAX_SHAPES = "trt_profile_max_shapes";

	public TensorrtProfile {
		min = Collections.unmodifiableMap(new LinkedHashMap<>(min));
		opt = Collections.unmodifiableMap(new LinkedHashMap<>(opt));
		max = Collections.unmodifiableMap(new LinkedHashMap<>(max));
	}

	/**
	 * Derive the profile from warmup samples: for every input the model declares with a
	 * dynamic dimension, min is the element-wise minimum over the samples, max the
	 * element-wise maximum and opt the first sample. Inputs with static dimensions (and
	 * scalars) get no entry: TensorRT needs none for them.
	 * @param samples the model's resolved warmup samples
	 * @param modelShapes each input's declared dimensions, {@code -1} where dynamic
	 * @return the profile, empty when no input is dynamic or there are no samples
	 */
	public static TensorrtProfile fromSamples(List<ResolvedShape> samples, Map<String, long[]> modelShapes) {
		Map<String, long[]> min = new LinkedHashMap<>();
		Map<String, long[]> opt = new LinkedHashMap<>();
		Map<String, long[]> max = new LinkedHashMap<>();
		modelShapes.forEach((input, declared) -> {
			if (!isDynamic(declared)) {
				return;
			}
			for (ResolvedShape sample : samples) {
				long[] dims = sample.dimensions().get(input);
				if (dims == null) {
					continue;
				}
				if (!opt.containsKey(input)) {
					opt.put(input, dims.clone());
					min.put(input, dims.clone());
					max.put(input, dims.clone());
				}
				else {
					long[] low = min.get(input);
					long[] high = max.get(input);
					for (int i = 0; i < dims.length; i++) {
						low[i] = Math.min(low[i], dims[i]);
						high[i] = Math.max(high[i], dims[i]);
					}
				}
			}
		});
		return new TensorrtProfile(min, opt, max);
	}

	/**
	 * Whether the profile has no input.
	 * @return whether it is empty
	 */
	public boolean isEmpty() {
		return this.opt.isEmpty();
	}

	/**
	 * The profile as ONNX Runtime's three options, such as
	 * {@code trt_profile_min_shapes=x:1x3x320x320,y:1x4}.
	 * @return the options by key, empty when the profile is empty
	 */
	public Map<String, String> options() {
		Map<String, String> options = new LinkedHashMap<>();
		if (!isEmpty()) {
			options.put(MIN_SHAPES, format(this.min));
			options.put(MAX_SHAPES, format(this.max));
			options.put(OPT_SHAPES, format(this.opt));
		}
		return options;
	}

	/**
	 * Check an explicit profile against the model's inputs.
	 * @param modelName the model
	 * @param property the property that configures the profile
	 * @param modelShapes each input's declared dimensions, {@code -1} where dynamic
	 * @throws OnnxModelException when an input is unknown, a rank differs from the
	 * model's or a static dimension is changed
	 */
	public void checkAgainst(String modelName, String property, Map<String, long[]> modelShapes) {
		check(modelName, property + ".min", this.min, modelShapes);
		check(modelName, property + ".opt", this.opt, modelShapes);
		check(modelName, property + ".max", this.max, modelShapes);
	}

	private static void check(String modelName, String property, Map<String, long[]> shapes,
			Map<String, long[]> modelShapes) {
		shapes.forEach((input, dims) -> {
			long[] declared = modelShapes.get(input);
			if (declared == null) {
				throw new OnnxModelException(modelName, property + "." + input,
						"the model has no input '" + input + "'",
						"use one of the model's inputs " + modelShapes.keySet());
			}
			if (declared.length != dims.length) {
				throw new OnnxModelException(modelName, property + "." + input,
						"profile shape " + Dimensions.format(dims) + " has rank " + dims.length + " but input '" + input
								+ "' has rank " + declared.length + " " + describe(declared),
						"give " + declared.length + " dimensions separated by 'x'");
			}
			for (int i = 0; i < dims.length; i++) {
				if (declared[i] >= 0 && declared[i] != dims[i]) {
					throw new OnnxModelException(modelName, property + "." + input,
							"profile shape " + Dimensions.format(dims) + " sets dimension " + i + " to " + dims[i]
									+ " but input '" + input + "' fixes it at " + declared[i],
							"use " + declared[i] + " for dimension " + i);
				}
			}
		});
	}

	// the model's dimensions with '?' where dynamic, such as [?, 3, ?, ?]
	private static String describe(long[] declared) {
		return Arrays.stream(declared)
			.mapToObj((dim) -> (dim >= 0) ? Long.toString(dim) : "?")
			.collect(Collectors.joining(", ", "[", "]"));
	}

	private static boolean isDynamic(long[] declared) {
		for (long dim : declared) {
			if (dim < 0) {
				return true;
			}
		}
		return false;
	}

	private static String format(Map<String, long[]> shapes) {
		// ONNX Runtime's spelling: input:d0xd1x...,other:d0x...
		return shapes.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + ":" + Dimensions.format(entry.getValue()))
			.collect(Collectors.joining(","));
	}

}
