package io.github.onnxgpu.boot.internal.warmup;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyArray;

/**
 * Where the inputs of configured warmup samples come from. Each kind has its own list of
 * samples under {@code onnx.models.<name>.warmup} and its own implementation, so an
 * entry's text is read the way its property says and never guessed at:
 * {@code warmup.shapes} holds dimensions, filled with zeros or random values
 * ({@link WarmupShapes}); {@code warmup.samples} holds {@code .npy} files of real data
 * ({@link WarmupFiles}). The inputs a sample leaves out are completed the same way for
 * every kind ({@link WarmupPlan}), and {@code warmup.values} ({@link WarmupValues}) fills
 * control inputs in every sample. A new kind is an implementation, a list property and a
 * line in the mapping of the properties.
 */
public interface WarmupSource {

	/**
	 * Dimensions: {@code warmup.shapes}.
	 */
	WarmupSource SHAPES = new WarmupShapes();

	/**
	 * NumPy files: {@code warmup.samples}.
	 */
	WarmupSource NPY_FILES = new WarmupFiles();

	/**
	 * The list property of the samples, below {@code onnx.models.<name>}.
	 * @return such as {@code warmup.shapes}
	 */
	String property();

	/**
	 * Read one input of a configured sample.
	 * @param modelName the model, for messages
	 * @param property the full property of the input, for messages
	 * @param input the input name
	 * @param text the configured text
	 * @return the input's dimensions, and its data when the source has any
	 * @throws OnnxModelException when the text is not what this source reads
	 */
	Input read(String modelName, String property, String input, @Nullable String text);

	/**
	 * What to configure for an input with the given dimensions, for hints.
	 * @param property the full property of the input
	 * @param dimensions the dimensions, such as {@code 2x1x128}
	 * @return such as {@code onnx.models.vad.warmup.shapes[0].state=2x1x128}
	 */
	String suggest(String property, String dimensions);

	/**
	 * One input of a configured sample.
	 *
	 * @param dimensions its dimensions
	 * @param data its data, {@code null} when the warmup generates it
	 */
	record Input(long[] dimensions, @Nullable NpyArray data) {

	}

}
