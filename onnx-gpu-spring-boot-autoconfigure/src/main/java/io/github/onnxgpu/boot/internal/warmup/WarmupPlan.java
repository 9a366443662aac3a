package io.github.onnxgpu.boot.internal.warmup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.ToIntFunction;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyArray;

/**
 * The warmup samples of a model with every input's full dimensions, checked against the
 * model's inputs at start-up so that a shape that does not fit fails there and not at the
 * first request.
 *
 * @param samples the shapes to run, in configured order
 * @param values fixed values of control inputs, used in every sample
 */
public record WarmupPlan(List<ResolvedShape> samples, WarmupValues values) {

	public WarmupPlan(List<ResolvedShape> samples) {
		this(samples, WarmupValues.none());
	}

	/**
	 * The dimensions of each sample's inputs, copied.
	 * @return one map of input name to dimensions per sample
	 */
	public List<Map<String, long[]>> shapes() {
		List<Map<String, long[]>> shapes = new ArrayList<>();
		for (ResolvedShape sample : this.samples) {
			Map<String, long[]> dimensions = new LinkedHashMap<>();
			sample.dimensions().forEach((input, dims) -> dimensions.put(input, dims.clone()));
			shapes.add(dimensions);
		}
		return shapes;
	}

	/**
	 * Check the configured shapes against the model's inputs and complete them.
	 * @param modelName the model, for messages
	 * @param inputs the model's inputs
	 * @param settings the warmup settings
	 * @return the plan; empty when warmup is disabled
	 * @throws OnnxModelException when a shape does not fit the model
	 */
	public static WarmupPlan resolve(String modelName, Map<String, NodeInfo> inputs, WarmupSettings settings) {
		if (!settings.enabled()) {
			return new WarmupPlan(List.of());
		}
		Map<String, TensorInfo> tensors = tensorInputs(modelName, inputs);
		WarmupValues values = WarmupValues.resolve(modelName, tensors, settings.sharedValues(), settings.values());
		if (settings.shapes().isEmpty()) {
			ResolvedShape sample = staticShape(modelName, tensors);
			checkSize(modelName, tensors, sample, null, settings.maxInputSize());
			return new WarmupPlan(List.of(sample), values);
		}
		List<ResolvedShape> samples = new ArrayList<>();
		for (ConfiguredShape shape : settings.shapes()) {
			ResolvedShape sample = resolve(modelName, tensors, shape);
			checkSize(modelName, tensors, sample, shape.property(modelName, null), settings.maxInputSize());
			samples.add(sample);
		}
		return new WarmupPlan(samples, values);
	}

	/**
	 * The bytes of input of one sample, all its inputs together.
	 * @param inputs the model's inputs
	 * @param sample the sample
	 * @return the bytes, {@link Long#MAX_VALUE} when they do not fit a long
	 */
	public static long inputBytes(Map<String, NodeInfo> inputs, ResolvedShape sample) {
		return bytes(sample, (input) -> {
			NodeInfo node = inputs.get(input);
			return (node != null && node.getInfo() instanceof TensorInfo tensor) ? tensor.type.size : 1;
		});
	}

	private static long bytes(ResolvedShape sample, ToIntFunction<String> elementSize) {
		long total = 0;
		try {
			for (Map.Entry<String, long[]> input : sample.dimensions().entrySet()) {
				long elements = 1;
				for (long dim : input.getValue()) {
					elements = Math.multiplyExact(elements, dim);
				}
				// a string counts one byte per element, at least
				total = Math.addExact(total,
						Math.multiplyExact(elements, Math.max(1, elementSize.applyAsInt(input.getKey()))));
			}
			return total;
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	/**
	 * The bytes of a sample's input in words.
	 * @param bytes the bytes
	 * @return such as {@code 491.5 MB}
	 */
	public static String describeSize(long bytes) {
		if (bytes == Long.MAX_VALUE) {
			return "more than 9 EB";
		}
		if (bytes < 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
		}
		if (bytes < 1024L * 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
		}
		return String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
	}

	// a mistyped dimension (6400 for 640) must not grow native memory by gigabytes with
	// no word: refused here, at start-up, before anything of the sample is allocated
	private static void checkSize(String modelName, Map<String, TensorInfo> tensors, ResolvedShape sample,
			@Nullable String configuredProperty, DataSize maxInputSize) {
		long bytes = bytes(sample, (input) -> tensors.get(input).type.size);
		if (bytes <= maxInputSize.toBytes()) {
			return;
		}
		String limit = OnnxModelException.modelProperty(modelName, "warmup.max-input-size");
		boolean configured = configuredProperty != null;
		String sampleProperty = configured ? configuredProperty : limit;
		String what = configured ? "warmup sample " + sample.index() + " " + sample
				: "the warmup sample " + sample + " (the model's static input dimensions)";
		throw new OnnxModelException(modelName, sampleProperty,
				what + " has " + describeSize(bytes) + " (" + bytes + " bytes) of input, more than the "
						+ describeSize(maxInputSize.toBytes()) + " " + limit
						+ " allows; its run would take memory of that order and more",
				configured ? "check the dimensions in " + sampleProperty
						+ " (a mistyped one, such as 6400 for 640?), or, if the sample is meant to be this large, "
						+ "raise " + limit + " (or onnx.warmup.max-input-size for all models)"
						: "raise " + limit + " (or onnx.warmup.max-input-size for all models), or set "
								+ OnnxModelException.modelProperty(modelName, "warmup.enabled") + "=false");
	}

	/**
	 * Complete the dimensions of some inputs into every input's, the way a configured
	 * warmup shape is completed: static dimensions, dimension names shared with a given
	 * input, scalars.
	 * @param modelName the model, for messages
	 * @param inputs the model's inputs
	 * @param shape the dimensions given, by input name
	 * @return every input's dimensions
	 * @throws OnnxModelException when the dimensions do not fit the model or an input's
	 * cannot be inferred
	 */
	public static ResolvedShape resolveShape(String modelName, Map<String, NodeInfo> inputs, ConfiguredShape shape) {
		return resolve(modelName, tensorInputs(modelName, inputs), shape);
	}

	private static Map<String, TensorInfo> tensorInputs(String modelName, Map<String, NodeInfo> inputs) {
		Map<String, TensorInfo> tensors = new LinkedHashMap<>();
		inputs.forEach((name, info) -> {
			if (!(info.getInfo() instanceof TensorInfo tensor)) {
				throw new OnnxModelException(modelName, OnnxModelException.modelProperty(modelName, "warmup.enabled"),
						"input '" + name + "' is not a tensor (" + info.getInfo() + "), which warmup cannot fill",
						"set " + OnnxModelException.modelProperty(modelName, "warmup.enabled") + "=false");
			}
			tensors.put(name, tensor);
		});
		return tensors;
	}

	private static ResolvedShape staticShape(String modelName, Map<String, TensorInfo> tensors) {
		Map<String, long[]> dimensions = new LinkedHashMap<>();
		tensors.forEach((name, tensor) -> {
			if (isDynamic(tensor)) {
				String property = OnnxModelException.modelProperty(modelName, "warmup.shapes");
				throw new OnnxModelException(modelName, property,
						"input '" + name + "' has dynamic dimensions " + describe(tensor)
								+ " and no warmup shapes are configured",
						"list the shapes your traffic uses, such as " + property + "[0]." + name + "="
								+ example(tensor, Map.of()) + " with each '?' replaced by a size your traffic uses, "
								+ "or set " + OnnxModelException.modelProperty(modelName, "warmup.enabled") + "=false");
			}
			dimensions.put(name, tensor.getShape());
		});
		return new ResolvedShape(0, dimensions);
	}

	private static ResolvedShape resolve(String modelName, Map<String, TensorInfo> tensors, ConfiguredShape shape) {
		Map<String, Long> boundNames = new HashMap<>();
		shape.dimensions().forEach((input, dims) -> {
			TensorInfo tensor = tensors.get(input);
			String property = shape.property(modelName, input);
			if (tensor == null) {
				throw new OnnxModelException(modelName, property, "the model has no input '" + input + "'",
						"use one of the model's inputs " + tensors.keySet());
			}
			checkFits(modelName, property, input, tensor, dims);
			NpyArray file = shape.files().get(input);
			if (file != null) {
				WarmupFiles.checkType(modelName, property, input, tensor, file);
			}
			bindNames(tensor, dims, boundNames);
		});
		Map<String, long[]> dimensions = new LinkedHashMap<>();
		tensors.forEach((name, tensor) -> {
			long[] dims = shape.dimensions().get(name);
			dimensions.put(name,
					(dims != null) ? dims : infer(modelName, shape, name, tensor, boundNames, batch(shape)));
		});
		return new ResolvedShape(shape.index(), dimensions, shape.files());
	}

	private static void checkFits(String modelName, String property, String input, TensorInfo tensor, long[] dims) {
		long[] modelDims = tensor.getShape();
		if (modelDims.length != dims.length) {
			throw new OnnxModelException(modelName, property,
					"shape " + Dimensions.format(dims) + " has rank " + dims.length + " but input '" + input
							+ "' has rank " + modelDims.length + " " + describe(tensor),
					(modelDims.length == 0)
							? "omit it or write '" + Dimensions.SCALAR + "'; to give its value, set "
									+ OnnxModelException.modelProperty(modelName, "warmup.values." + input) + "="
									+ Dimensions.format(dims)
							: "give " + modelDims.length + " dimensions, such as " + example(tensor, Map.of()));
		}
		for (int i = 0; i < dims.length; i++) {
			if (modelDims[i] >= 0 && modelDims[i] != dims[i]) {
				throw new OnnxModelException(modelName, property,
						"shape " + Dimensions.format(dims) + " sets dimension " + i + " to " + dims[i] + " but input '"
								+ input + "' fixes it at " + modelDims[i] + " " + describe(tensor),
						"use " + modelDims[i] + " for dimension " + i + ", such as " + example(tensor, Map.of()));
			}
		}
	}

	private static void bindNames(TensorInfo tensor, long[] dims, Map<String, Long> boundNames) {
		String[] names = tensor.getDimensionNames();
		for (int i = 0; i < dims.length && i < names.length; i++) {
			if (names[i] != null && !names[i].isEmpty()) {
				boundNames.putIfAbsent(names[i], dims[i]);
			}
		}
	}

	private static long[] infer(String modelName, ConfiguredShape shape, String input, TensorInfo tensor,
			Map<String, Long> boundNames, @Nullable Long batch) {
		long[] modelDims = tensor.getShape();
		String[] names = tensor.getDimensionNames();
		long[] dims = new long[modelDims.length];
		for (int i = 0; i < dims.length; i++) {
			Long bound = (i < names.length && names[i] != null && !names[i].isEmpty()) ? boundNames.get(names[i])
					: null;
			dims[i] = (modelDims[i] >= 0) ? modelDims[i] : (bound != null) ? bound : -1;
			if (dims[i] < 0) {
				String property = shape.property(modelName, input);
				throw new OnnxModelException(modelName, property,
						"input '" + input + "' is not given and its dynamic dimensions " + describe(tensor)
								+ " cannot be inferred from the others",
						hint(shape.source(), property, tensor, boundNames, batch));
			}
		}
		return dims;
	}

	private static boolean isDynamic(TensorInfo tensor) {
		for (long dim : tensor.getShape()) {
			if (dim < 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The model's dimensions of an input with symbolic names where dynamic.
	 * @param tensor the input
	 * @return text such as {@code [N, 3, H, W]}
	 */
	public static String describe(TensorInfo tensor) {
		long[] dims = tensor.getShape();
		String[] names = tensor.getDimensionNames();
		StringJoiner joiner = new StringJoiner(", ", "[", "]");
		for (int i = 0; i < dims.length; i++) {
			boolean named = i < names.length && names[i] != null && !names[i].isEmpty();
			joiner.add((dims[i] >= 0) ? Long.toString(dims[i]) : named ? names[i] : "?");
		}
		return joiner.toString();
	}

	/**
	 * The input's dimensions as far as they are known, {@code ?} where not: the model's
	 * fixed sizes and the sizes bound to dimension names by the sample. Never a guessed
	 * number.
	 */
	private static String example(TensorInfo tensor, Map<String, Long> boundNames) {
		long[] dims = tensor.getShape();
		if (dims.length == 0) {
			return Dimensions.SCALAR;
		}
		String[] names = tensor.getDimensionNames();
		StringJoiner joiner = new StringJoiner("x");
		for (int i = 0; i < dims.length; i++) {
			Long bound = (i < names.length && names[i] != null) ? boundNames.get(names[i]) : null;
			joiner.add((dims[i] >= 0) ? Long.toString(dims[i]) : (bound != null) ? bound.toString() : "?");
		}
		return joiner.toString();
	}

	/**
	 * How to give an input that cannot be inferred. When one dimension is unknown and the
	 * sample has a batch size (the first dimension shared by its inputs), the hint fills
	 * it with that size and says on which assumption, as a recurrent state [2, batch,
	 * 128] needs 2x1x128 at batch 1.
	 */
	private static String hint(WarmupSource source, String property, TensorInfo tensor, Map<String, Long> boundNames,
			@Nullable Long batch) {
		String known = example(tensor, boundNames);
		int unknown = known.length() - known.replace("?", "").length();
		if (unknown == 1 && batch != null && !hasBoundDimension(tensor, boundNames)) {
			int index = Arrays.asList(known.split("x")).indexOf("?");
			return "add " + source.suggest(property, known.replace("?", batch.toString())) + " if its dimension "
					+ index + " is the batch, which is " + batch
					+ " in this sample; otherwise give that dimension's size in " + source.suggest(property, known);
		}
		return "add " + source.suggest(property, known) + " with each '?' replaced by the size this sample needs";
	}

	// an input with a dimension bound by name to the sample already has its batch there
	private static boolean hasBoundDimension(TensorInfo tensor, Map<String, Long> boundNames) {
		for (String name : tensor.getDimensionNames()) {
			if (name != null && boundNames.containsKey(name)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The batch size of a sample: the first dimension of every configured input, when
	 * they agree.
	 */
	private static @Nullable Long batch(ConfiguredShape shape) {
		Long batch = null;
		for (long[] dims : shape.dimensions().values()) {
			if (dims.length == 0) {
				continue;
			}
			if (batch != null && batch != dims[0]) {
				return null;
			}
			batch = dims[0];
		}
		return batch;
	}

}
