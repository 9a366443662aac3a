package io.github.onnxgpu.boot.internal.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file the starter downloaded to a temporary file of its own.
 *
 * @param file the temporary file
 * @param size its size in bytes
 * @param sha256 its SHA-256 in hex, computed while it was written
 * @since 0.1.0
 */
public record DownloadedFile(Path file, long size, String sha256) {

	/**
	 * Delete the temporary file, when it is no longer needed.
	 */
	public void delete() {
		RemoteDownload.deleteQuietly(this.file);
	}

	/**
	 * Read the whole file, for something small such as a request body.
	 * @return the bytes
	 * @throws IOException when it cannot be read
	 */
	public byte[] readAllBytes() throws IOException {
		return Files.readAllBytes(this.file);
	}

}
