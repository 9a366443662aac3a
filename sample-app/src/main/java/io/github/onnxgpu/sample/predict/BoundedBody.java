package io.github.onnxgpu.sample.predict;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import org.springframework.util.unit.DataSize;

/**
 * Reads a request body up to a limit, so that an oversized upload is refused after
 * {@code limit} bytes rather than buffered whole. A Content-Length can be missing
 * (chunked uploads), so counting is the only reliable check.
 */
final class BoundedBody {

	private BoundedBody() {
	}

	/**
	 * Read the whole body.
	 * @param body the body
	 * @param limit the most bytes accepted
	 * @return the bytes
	 * @throws PredictionRejectedException 400 when empty, 413 when over the limit
	 * @throws IOException when reading fails
	 */
	static byte[] read(InputStream body, DataSize limit) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		byte[] buffer = new byte[64 * 1024];
		long max = limit.toBytes();
		int read;
		while ((read = body.read(buffer)) != -1) {
			if (bytes.size() + (long) read > max) {
				throw PredictionRejectedException.tooLarge("The request body is larger than " + describe(limit)
						+ " (sample.predict.max-body-size); send a smaller image or tensor");
			}
			bytes.write(buffer, 0, read);
		}
		if (bytes.size() == 0) {
			throw PredictionRejectedException.badRequest("The request body is empty; send a PNG or JPEG image "
					+ "(Content-Type image/png or image/jpeg) or a JSON tensor {\"dims\": [1, 3, 64, 64], \"data\": [...]}");
		}
		return bytes.toByteArray();
	}

	static String describe(DataSize size) {
		long bytes = size.toBytes();
		if (bytes >= DataSize.ofMegabytes(1).toBytes() && bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
			return size.toMegabytes() + " MB";
		}
		return (bytes % 1024 == 0) ? size.toKilobytes() + " KB" : bytes + " bytes";
	}

}
