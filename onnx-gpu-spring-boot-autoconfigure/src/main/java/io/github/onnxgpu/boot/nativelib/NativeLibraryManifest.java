package io.github.onnxgpu.boot.nativelib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The record of a complete cache folder, written last so that its presence means every
 * library was written. For each library it holds the size and CRC-32 of the source and
 * the size and modification time of the file written; a CRC-32 of the manifest itself
 * ends it, so an edited or cut manifest is noticed too.
 * <p>
 * Checking a cache compares sizes and modification times only: reading 600 MB back to
 * compare CRCs on every start would cost much of what the cache saves. A library cut
 * short or replaced has another size or modification time; what a deliberate forgery
 * with both restored does is beyond this check.
 *
 * @since 0.1.0
 */
final class NativeLibraryManifest {

	/**
	 * The manifest's file name. Not the name of any ONNX Runtime library.
	 */
	static final String FILE_NAME = "onnx-native-cache.manifest";

	private static final String HEADER = "onnx-gpu-spring-boot native library cache 1";

	private static final String END = "end\t";

	private NativeLibraryManifest() {
	}

	/**
	 * Write the manifest of a folder holding every library of the source.
	 * @param directory the folder
	 * @param source the source its libraries came from
	 * @throws IOException when it cannot be written
	 */
	static void write(Path directory, NativeLibrarySource source) throws IOException {
		StringBuilder content = new StringBuilder();
		content.append(HEADER).append('\n');
		content.append("version\t").append(source.version()).append('\n');
		content.append("platform\t").append(source.platform()).append('\n');
		for (NativeLibrary library : source.libraries()) {
			Path file = directory.resolve(library.name());
			content.append("file\t")
				.append(library.size())
				.append('\t')
				.append(library.crc())
				.append('\t')
				.append(Files.size(file))
				.append('\t')
				.append(Files.getLastModifiedTime(file).toMillis())
				.append('\t')
				.append(library.name())
				.append('\n');
		}
		String checksum = checksum(content.toString());
		content.append(END).append(checksum).append('\n');
		Files.writeString(directory.resolve(FILE_NAME), content, StandardCharsets.UTF_8);
	}

	/**
	 * Find why a folder is not a complete, untouched copy of the source's libraries.
	 * @param directory the folder
	 * @param source the source
	 * @return the problem, or empty when the folder can be used as it is
	 */
	static Optional<String> problem(Path directory, NativeLibrarySource source) {
		Path manifest = directory.resolve(FILE_NAME);
		if (!Files.isRegularFile(manifest)) {
			return Optional.of(Files.isDirectory(directory) ? "it has no manifest" : "it does not exist");
		}
		try {
			return problem(directory, source, Files.readString(manifest, StandardCharsets.UTF_8));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.of("its manifest cannot be read: " + ex);
		}
	}

	private static Optional<String> problem(Path directory, NativeLibrarySource source, String manifest)
			throws IOException {
		int end = manifest.lastIndexOf(END);
		if (end < 0 || !manifest.startsWith(HEADER + "\n")
				|| !manifest.substring(end).equals(END + checksum(manifest.substring(0, end)) + "\n")) {
			return Optional.of("its manifest is incomplete or was changed");
		}
		List<String> expected = new ArrayList<>();
		expected.add("version\t" + source.version());
		expected.add("platform\t" + source.platform());
		for (NativeLibrary library : source.libraries()) {
			expected.add("file\t" + library.size() + "\t" + library.crc() + "\t" + library.name());
		}
		List<String> recorded = new ArrayList<>();
		List<String> lines = manifest.substring(0, end).lines().skip(1).toList();
		for (String line : lines) {
			String[] fields = line.split("\t", -1);
			if (fields[0].equals("file") && fields.length == 6) {
				recorded.add("file\t" + fields[1] + "\t" + fields[2] + "\t" + fields[5]);
				Optional<String> fileProblem = fileProblem(directory.resolve(fields[5]), Long.parseLong(fields[3]),
						Long.parseLong(fields[4]));
				if (fileProblem.isPresent()) {
					return fileProblem;
				}
			}
			else {
				recorded.add(line);
			}
		}
		if (!recorded.equals(expected)) {
			return Optional.of("it holds the libraries of another ONNX Runtime jar or platform");
		}
		return Optional.empty();
	}

	private static Optional<String> fileProblem(Path file, long size, long modified) throws IOException {
		if (!Files.isRegularFile(file)) {
			return Optional.of(file.getFileName() + " is missing");
		}
		long actualSize = Files.size(file);
		if (actualSize != size) {
			return Optional.of(file.getFileName() + " has " + actualSize + " bytes, not " + size);
		}
		if (Files.getLastModifiedTime(file).toMillis() != modified) {
			return Optional.of(file.getFileName() + " was modified after it was written");
		}
		return Optional.empty();
	}

	private static String checksum(String content) {
		CRC32 crc = new CRC32();
		crc.update(content.getBytes(StandardCharsets.UTF_8));
		return HexFormat.of().toHexDigits((int) crc.getValue());
	}

}
