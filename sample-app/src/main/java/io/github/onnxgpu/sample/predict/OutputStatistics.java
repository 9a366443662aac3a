package io.github.onnxgpu.sample.predict;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import io.github.onnxgpu.sample.predict.Prediction.MaskSummary;
import io.github.onnxgpu.sample.predict.Prediction.OutputSummary;

/**
 * Summarises an output [N, C, H, W] of probabilities: statistics over all values and, per
 * batch item, a coarse mask of the first channel.
 */
final class OutputStatistics {

	private OutputStatistics() {
	}

	static OutputSummary summary(String name, long[] shape, FloatBuffer values) {
		double min = Double.POSITIVE_INFINITY;
		double max = Double.NEGATIVE_INFINITY;
		double sum = 0;
		int count = values.remaining();
		for (int i = 0; i < count; i++) {
			float value = values.get(values.position() + i);
			min = Math.min(min, value);
			max = Math.max(max, value);
			sum += value;
		}
		return new OutputSummary(name, shape, min, max, (count > 0) ? sum / count : Double.NaN);
	}

	static List<MaskSummary> masks(long[] shape, FloatBuffer values, double threshold, int gridSize) {
		int batch = (int) shape[0];
		int channels = (int) shape[1];
		int height = (int) shape[2];
		int width = (int) shape[3];
		int plane = height * width;
		int rows = Math.min(gridSize, height);
		int columns = Math.min(gridSize, width);
		List<MaskSummary> masks = new ArrayList<>();
		for (int item = 0; item < batch; item++) {
			int offset = values.position() + item * channels * plane;
			double[][] cellSums = new double[rows][columns];
			int[][] cellCounts = new int[rows][columns];
			long positives = 0;
			for (int y = 0; y < height; y++) {
				for (int x = 0; x < width; x++) {
					float value = values.get(offset + y * width + x);
					positives += (value >= threshold) ? 1 : 0;
					int row = y * rows / height;
					int column = x * columns / width;
					cellSums[row][column] += value;
					cellCounts[row][column]++;
				}
			}
			List<String> grid = new ArrayList<>();
			for (int row = 0; row < rows; row++) {
				StringBuilder line = new StringBuilder();
				for (int column = 0; column < columns; column++) {
					line.append((cellSums[row][column] / cellCounts[row][column] >= threshold) ? '#' : '.');
				}
				grid.add(line.toString());
			}
			masks.add(new MaskSummary(threshold, (double) positives / plane, grid));
		}
		return masks;
	}

}
