package io.github.onnxgpu.boot.internal.warmup;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyArray;

/**
 * One entry of {@code warmup.shapes} as configured: the dimensions of the inputs the user
 * listed, such as {@code x: 1x3x640x640}. {@link WarmupPlan} completes it into a
 * {@link ResolvedShape}.
 *
 * @param index the entry's position in the configured list
 * @param dimensions dimensions by input name
 * @param files the data of inputs given as {@code .npy} files, by input name
 */
public record ConfiguredShape(int index, Map<String, long[]> dimensions, Map<String, NpyArray> files) {

	private static final ResourceLoader RESOURCE_LOADER = new DefaultResourceLoader();

	public ConfiguredShape {
		dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
		files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
	}

	public ConfiguredShape(int index, Map<String, long[]> dimensions) {
		this(index, dimensions, Map.of());
	}

	/**
	 * Parse the configured form of a sample.
	 * @param modelName the model, for messages
	 * @param index the sample's position
	 * @param configured input name to dimensions text such as {@code 1x3x640x640}
	 * @return the parsed sample
	 * @throws OnnxModelException when a dimension is not a positive whole number
	 */
	public static ConfiguredShape parse(String modelName, int index, Map<String, String> configured) {
		if (configured.isEmpty()) {
			throw new OnnxModelException(modelName, property(modelName, index, null),
					"warmup sample " + index + " is empty",
					"list at least one input with its dimensions, such as 'x: 1x3x640x640'");
		}
		Map<String, long[]> dimensions = new LinkedHashMap<>();
		Map<String, NpyArray> files = new LinkedHashMap<>();
		configured.forEach((input, text) -> {
			if (WarmupFiles.isFile(text)) {
				NpyArray file = WarmupFiles.read(RESOURCE_LOADER, modelName, index, input, text);
				files.put(input, file);
				dimensions.put(input, file.shape());
			}
			else {
				dimensions.put(input, parseDimensions(modelName, index, input, text));
			}
		});
		return new ConfiguredShape(index, dimensions, files);
	}

	private static long[] parseDimensions(String modelName, int index, String input, @Nullable String text) {
		if (text != null && text.strip().equalsIgnoreCase(Dimensions.SCALAR)) {
			return new long[0];
		}
		String[] parts = (text != null) ? text.strip().split("\\s*[xX,]\\s*") : new String[0];
		long[] dims = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			try {
				dims[i] = Long.parseLong(parts[i]);
			}
			catch (NumberFormatException ex) {
				dims[i] = 0;
			}
			if (dims[i] <= 0 || parts[i].isEmpty()) {
				throw new OnnxModelException(modelName, property(modelName, index, input),
						"warmup dimensions '" + text + "' of input '" + input + "' are not all positive whole numbers",
						"write the dimensions as positive numbers separated by 'x', such as 1x3x640x640, or '"
								+ Dimensions.SCALAR + "' for a scalar input (which may also be left out); a value "
								+ "such as a sample rate goes in "
								+ OnnxModelException.modelProperty(modelName, "warmup.values." + input));
			}
		}
		return dims;
	}

	/**
	 * The property that configures a sample or one of its inputs.
	 * @param modelName the model
	 * @param index the sample's position
	 * @param input the input, {@code null} for the whole sample
	 * @return the full property name
	 */
	public static String property(String modelName, int index, @Nullable String input) {
		String sample = OnnxModelException.modelProperty(modelName, "warmup.shapes[" + index + "]");
		return (input != null) ? sample + "." + input : sample;
	}

	@Override
	public String toString() {
		return Dimensions.format(this.dimensions);
	}

}
