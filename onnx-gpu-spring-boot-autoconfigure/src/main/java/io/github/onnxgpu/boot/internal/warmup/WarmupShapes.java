package io.github.onnxgpu.boot.internal.warmup;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Warmup samples given as dimensions, such as {@code - x: 1x3x640x640}, under
 * {@code warmup.shapes}: the warmup fills the inputs with zeros or random values
 * ({@code warmup.data}).
 */
final class WarmupShapes implements WarmupSource {

	WarmupShapes() {
	}

	@Override
	public String property() {
		return "warmup.shapes";
	}

	@Override
	public Input read(String modelName, String property, String input, @Nullable String text) {
		// left out: a scalar
		long[] dims = (text != null) ? Dimensions.parse(text) : new long[0];
		if (dims == null) {
			throw notDimensions(modelName, property, input, text);
		}
		return new Input(dims, null);
	}

	private static OnnxModelException notDimensions(String modelName, String property, String input,
			@Nullable String text) {
		String samples = OnnxModelException.modelProperty(modelName, WarmupSource.NPY_FILES.property());
		if (text != null && (text.contains(":") || text.contains("/") || text.strip().endsWith(".npy"))) {
			return new OnnxModelException(modelName, property,
					"warmup shapes hold dimensions, but input '" + input + "' is given the file location '"
							+ text.strip() + "'",
					"move the file to " + samples + ", such as " + samples + "[0]." + input + "=" + text.strip()
							+ ", which holds .npy files of real data; keep dimensions such as 1x3x640x640 under "
							+ OnnxModelException.modelProperty(modelName, "warmup.shapes"));
		}
		return new OnnxModelException(modelName, property,
				"warmup dimensions '" + text + "' of input '" + input + "' are not all positive whole numbers",
				"write the dimensions as positive numbers separated by 'x', such as 1x3x640x640, or '"
						+ Dimensions.SCALAR + "' for a scalar input (which may also be left out); a value "
						+ "such as a sample rate goes in "
						+ OnnxModelException.modelProperty(modelName, "warmup.values." + input)
						+ "; a .npy file of real data in " + samples);
	}

	@Override
	public String suggest(String property, String dimensions) {
		return property + "=" + dimensions;
	}

}
