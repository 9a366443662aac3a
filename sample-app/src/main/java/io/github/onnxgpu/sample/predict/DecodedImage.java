package io.github.onnxgpu.sample.predict;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An uploaded PNG or JPEG image. The size is read from the header and checked before the
 * pixels are decoded: a small file can declare a huge image, and decoding it would
 * exhaust the heap.
 *
 * @param image the pixels
 * @param format the format ImageIO recognised, such as {@code png}
 */
record DecodedImage(BufferedImage image, String format) {

	int width() {
		return this.image.getWidth();
	}

	int height() {
		return this.image.getHeight();
	}

	/**
	 * Decode an image.
	 * @param bytes the file
	 * @param maxSide the largest width or height accepted
	 * @return the image
	 * @throws PredictionRejectedException 400 when it is not a readable image, 413 when
	 * it is too large
	 */
	static DecodedImage decode(byte[] bytes, int maxSide) {
		try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
			if (!readers.hasNext()) {
				throw notAnImage();
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(input, true, true);
				int width = reader.getWidth(0);
				int height = reader.getHeight(0);
				if (width > maxSide || height > maxSide) {
					throw PredictionRejectedException.tooLarge(
							"The image is " + width + "x" + height + " px; the largest accepted width or height is "
									+ maxSide + " px (sample.predict.max-image-side); scale it down before sending it");
				}
				String format = reader.getFormatName().toLowerCase(Locale.ROOT);
				if (!format.equals("png") && !format.equals("jpeg")) {
					throw notAnImage();
				}
				return new DecodedImage(reader.read(0), format);
			}
			finally {
				reader.dispose();
			}
		}
		catch (PredictionRejectedException ex) {
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			// ImageIO reports corrupt files with a range of runtime exceptions
			throw notAnImage();
		}
	}

	private static PredictionRejectedException notAnImage() {
		return PredictionRejectedException.badRequest("The body is not a readable PNG or JPEG image");
	}

}
