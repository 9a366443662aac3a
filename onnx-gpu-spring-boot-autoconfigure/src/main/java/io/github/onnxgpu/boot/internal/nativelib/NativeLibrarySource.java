package io.github.onnxgpu.boot.internal.nativelib;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Where the native libraries of one platform come from, usually the ONNX Runtime jar.
 */
public interface NativeLibrarySource extends Closeable {

	/**
	 * A description for messages, such as the jar's location.
	 * @return the description
	 */
	String description();

	/**
	 * The ONNX Runtime version, for naming the cache directory.
	 * @return the version, or {@code "unknown"}
	 */
	String version();

	/**
	 * The platform folder the libraries come from, such as {@code linux-x64}.
	 * @return the platform folder name
	 */
	String platform();

	/**
	 * The library files, sorted by name.
	 * @return the libraries
	 */
	List<NativeLibrary> libraries();

	/**
	 * Open the content of one library.
	 * @param library one of {@link #libraries()}
	 * @return a stream to be closed by the caller
	 * @throws IOException when it cannot be read
	 */
	InputStream open(NativeLibrary library) throws IOException;

	/**
	 * A short checksum of the platform folder: a CRC-32 over the name, size and CRC-32 of
	 * every library. It changes whenever any library changes, costs no more than listing
	 * the jar (the sizes and CRCs come from the zip central directory, nothing is
	 * inflated), and it is the same for the same libraries wherever the jar lives: in the
	 * local Maven repository, or nested in a Spring Boot fat jar whose size and
	 * modification time change with every build.
	 * @return eight hexadecimal digits
	 */
	default String checksum() {
		CRC32 crc = new CRC32();
		for (NativeLibrary library : libraries()) {
			String line = library.name() + '\0' + library.size() + '\0' + library.crc() + '\n';
			crc.update(line.getBytes(StandardCharsets.UTF_8));
		}
		return HexFormat.of().toHexDigits((int) crc.getValue());
	}

}
