package io.github.onnxgpu.sample.predict;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer of {@code POST /predict}: what ran, a summary of the output and how long the
 * model took on the server.
 *
 * @param model the model's name
 * @param provider the execution provider that ran it, such as {@code CUDA} or {@code CPU}
 * @param input the input the model was given
 * @param output statistics of the output
 * @param masks a coarse mask per batch item
 * @param inferenceMillis time spent in ONNX Runtime, excluding decoding and resizing
 */
public record Prediction(String model, String provider, InputSummary input, OutputSummary output,
		List<MaskSummary> masks, double inferenceMillis) {

	/**
	 * The input given to the model.
	 *
	 * @param name the input's name
	 * @param shape the dimensions
	 * @param warmedShape whether the model was warmed up at exactly these dimensions
	 * @param image the image it came from, or {@code null} for a JSON tensor
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record InputSummary(String name, long[] shape, boolean warmedShape, ImageSummary image) {
	}

	/**
	 * The uploaded image.
	 *
	 * @param format {@code png} or {@code jpeg}
	 * @param width its width
	 * @param height its height
	 * @param fit how it was resized
	 */
	public record ImageSummary(String format, int width, int height, String fit) {
	}

	/**
	 * Statistics over every value of the output.
	 *
	 * @param name the output's name
	 * @param shape its dimensions
	 * @param min the smallest value
	 * @param max the largest value
	 * @param mean the mean value
	 */
	public record OutputSummary(String name, long[] shape, double min, double max, double mean) {
	}

	/**
	 * Where one batch item's output is at or above the threshold.
	 *
	 * @param threshold the probability from which a pixel counts as detected
	 * @param positiveFraction the fraction of pixels at or above it
	 * @param grid rows of cells, {@code #} where the cell's mean is at or above it,
	 * {@code .} elsewhere
	 */
	public record MaskSummary(double threshold, double positiveFraction, List<String> grid) {
	}

}
