package io.github.onnxgpu.sample.predict;

import java.util.Collection;
import java.util.Comparator;

/**
 * The height and width a model runs an image at.
 *
 * @param height the height in pixels
 * @param width the width in pixels
 */
record InferenceSize(int height, int width) {

	/**
	 * The warmed size closest to an image, by distance of the logarithms of both sides:
	 * being twice too large weighs as much as being half too small, and an image is not
	 * squashed into a shape of a different aspect when a closer one exists.
	 * @param imageHeight the image height
	 * @param imageWidth the image width
	 * @param warmed the warmed sizes, not empty
	 * @return the closest
	 */
	static InferenceSize closestWarmed(int imageHeight, int imageWidth, Collection<InferenceSize> warmed) {
		return warmed.stream()
			.min(Comparator.comparingDouble((InferenceSize size) -> size.distanceTo(imageHeight, imageWidth))
				.thenComparing(InferenceSize::pixels, Comparator.reverseOrder()))
			.orElseThrow();
	}

	/**
	 * The image's own size, scaled down to fit {@code maxSide} and rounded to the nearest
	 * multiple of {@code multiple} (at least one multiple).
	 * @param imageHeight the image height
	 * @param imageWidth the image width
	 * @param multiple what each side must be a multiple of
	 * @param maxSide the largest side
	 * @return the size
	 */
	static InferenceSize nativeSize(int imageHeight, int imageWidth, int multiple, int maxSide) {
		double scale = Math.min(1.0, (double) maxSide / Math.max(imageHeight, imageWidth));
		return new InferenceSize(round(imageHeight * scale, multiple, maxSide),
				round(imageWidth * scale, multiple, maxSide));
	}

	private static int round(double side, int multiple, int maxSide) {
		int rounded = (int) Math.round(side / multiple) * multiple;
		int largest = (maxSide / multiple) * multiple;
		return Math.max(multiple, Math.min(rounded, largest));
	}

	private double distanceTo(int imageHeight, int imageWidth) {
		return Math.abs(Math.log((double) this.height / imageHeight))
				+ Math.abs(Math.log((double) this.width / imageWidth));
	}

	private long pixels() {
		return (long) this.height * this.width;
	}

	@Override
	public String toString() {
		return this.height + "x" + this.width;
	}

}
