package io.github.onnxgpu.sample.predict;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Turns an image into the float pixels of a [1, C, H, W] tensor: resized (bilinear),
 * channels first, scaled to [0, 1], red, green, blue.
 */
final class ImageTensor {

	private ImageTensor() {
	}

	static float[] pixels(BufferedImage image, InferenceSize size, int channels) {
		BufferedImage resized = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = resized.createGraphics();
		try {
			graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
			graphics.drawImage(image, 0, 0, size.width(), size.height(), null);
		}
		finally {
			graphics.dispose();
		}
		int plane = size.height() * size.width();
		int[] rgb = resized.getRGB(0, 0, size.width(), size.height(), null, 0, size.width());
		float[] pixels = new float[channels * plane];
		for (int i = 0; i < plane; i++) {
			for (int channel = 0; channel < channels; channel++) {
				// red is the highest byte of the three; a model with fewer channels takes
				// the first ones
				int shift = 16 - 8 * Math.min(channel, 2);
				pixels[channel * plane + i] = ((rgb[i] >> shift) & 0xFF) / 255f;
			}
		}
		return pixels;
	}

}
