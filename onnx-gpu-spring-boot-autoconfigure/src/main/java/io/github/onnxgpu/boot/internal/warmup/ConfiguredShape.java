package io.github.onnxgpu.boot.internal.warmup;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyArray;

/**
 * One configured warmup sample: the dimensions of the inputs the user listed, such as
 * {@code x: 1x3x640x640} under {@code warmup.shapes}, and the data of those given as
 * files under {@code warmup.samples}. {@link WarmupPlan} completes it into a
 * {@link ResolvedShape}.
 *
 * @param index the sample's position among the model's samples (shapes first)
 * @param source the kind of entry it was configured as
 * @param entry its position in the source's list
 * @param dimensions dimensions by input name
 * @param files the data of inputs given as {@code .npy} files, by input name
 */
public record ConfiguredShape(int index, WarmupSource source, int entry, Map<String, long[]> dimensions,
		Map<String, NpyArray> files) {

	public ConfiguredShape {
		dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
		files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
	}

	/**
	 * A sample of dimensions, as if configured as {@code warmup.shapes[index]}.
	 * @param index the sample's position
	 * @param dimensions dimensions by input name
	 */
	public ConfiguredShape(int index, Map<String, long[]> dimensions) {
		this(index, WarmupSource.SHAPES, index, dimensions, Map.of());
	}

	/**
	 * Read one configured entry of a source's list.
	 * @param source the kind of entry
	 * @param modelName the model, for messages
	 * @param index the sample's position among the model's samples
	 * @param entry its position in the source's list
	 * @param configured input name to the configured text
	 * @return the sample
	 * @throws OnnxModelException when the entry is empty or an input's text is not what
	 * the source reads
	 */
	public static ConfiguredShape parse(WarmupSource source, String modelName, int index, int entry,
			Map<String, String> configured) {
		String sample = property(source, modelName, entry, null);
		if (configured.isEmpty()) {
			throw new OnnxModelException(modelName, sample, "warmup sample " + index + " is empty",
					"list at least one input, such as " + source.suggest(sample + ".x", "1x3x640x640"));
		}
		Map<String, long[]> dimensions = new LinkedHashMap<>();
		Map<String, NpyArray> files = new LinkedHashMap<>();
		configured.forEach((input, text) -> {
			WarmupSource.Input read = source.read(modelName, property(source, modelName, entry, input), input, text);
			dimensions.put(input, read.dimensions());
			if (read.data() != null) {
				files.put(input, read.data());
			}
		});
		return new ConfiguredShape(index, source, entry, dimensions, files);
	}

	/**
	 * The property that configures this sample or one of its inputs.
	 * @param modelName the model
	 * @param input the input, {@code null} for the whole sample
	 * @return the full property name, such as
	 * {@code onnx.models.detector.warmup.shapes[0].x}
	 */
	public String property(String modelName, @Nullable String input) {
		return property(this.source, modelName, this.entry, input);
	}

	private static String property(WarmupSource source, String modelName, int entry, @Nullable String input) {
		String sample = OnnxModelException.modelProperty(modelName, source.property() + "[" + entry + "]");
		return (input != null) ? sample + "." + input : sample;
	}

	@Override
	public String toString() {
		return Dimensions.format(this.dimensions);
	}

}
