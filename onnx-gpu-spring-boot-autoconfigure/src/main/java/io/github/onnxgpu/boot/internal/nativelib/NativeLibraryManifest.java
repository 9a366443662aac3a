package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The record of a complete cache folder, written last so that its presence means every
 * library was written. For each library it holds the size and CRC-32 of the source and
 * the size and modification time of the file written (the time is for people; the check
 * does not use it, so a copied cache stays valid); a CRC-32 of the manifest itself ends
 * it, so an edited or cut manifest is noticed too. It is also the proof that a folder
 * belongs to the cache: a folder without one is never replaced.
 * <p>
 * Checking a cache compares every library's size, then its CRC-32, with the jar's: a
 * library damaged in place with its size and modification time kept would otherwise be
 * trusted and fail to load on every start. Reading the libraries back costs about 0.1 to
 * 0.5 s for the 615 MB of the GPU jar's libraries, up to 2 s from a cold page cache
 * (measured in docs/providers.md), against the ~5 s the cache saves. A deliberate forgery
 * that keeps the CRC-32 is beyond this check.
 */
final class NativeLibraryManifest {

	/**
	 * The manifest's file name. Not the name of any ONNX Runtime library.
	 */
	static final String FILE_NAME = "onnx-native-cache.manifest";

	private static final String HEADER = "onnx-gpu-spring-boot native library cache 1";

	private static final String END = "end\t";

	private static final int BUFFER_SIZE = 1024 * 1024;

	private static final long MAX_MANIFEST_SIZE = 1024 * 1024;

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
	 * Reads every library back and compares its CRC-32 with the jar's, so that damage
	 * that keeps a file's size and modification time is found too.
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
			return Optional.of("it cannot be read: " + ex);
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
		for (String line : manifest.substring(0, end).lines().skip(1).toList()) {
			String[] fields = line.split("\t", -1);
			recorded.add((fields[0].equals("file") && fields.length == 6)
					? "file\t" + fields[1] + "\t" + fields[2] + "\t" + fields[5] : line);
		}
		if (!recorded.equals(expected)) {
			return Optional.of("it holds the libraries of another ONNX Runtime jar or platform");
		}
		// sizes first: a cut file is found without reading 600 MB
		for (NativeLibrary library : source.libraries()) {
			Optional<String> sizeProblem = sizeProblem(directory.resolve(library.name()), library);
			if (sizeProblem.isPresent()) {
				return sizeProblem;
			}
		}
		ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
		for (NativeLibrary library : source.libraries()) {
			long crc = crc(directory.resolve(library.name()), buffer);
			if (crc != library.crc()) {
				return Optional.of(library.name() + " is damaged: its CRC-32 is " + Long.toHexString(crc)
						+ ", the jar's is " + Long.toHexString(library.crc()));
			}
		}
		return Optional.empty();
	}

	private static Optional<String> sizeProblem(Path file, NativeLibrary library) throws IOException {
		if (!Files.isRegularFile(file)) {
			return Optional.of(library.name() + " is missing");
		}
		long actualSize = Files.size(file);
		if (actualSize != library.size()) {
			return Optional.of(library.name() + " has " + actualSize + " bytes, not " + library.size());
		}
		return Optional.empty();
	}

	// a direct buffer read by the channel: no copy into the heap
	private static long crc(Path file, ByteBuffer buffer) throws IOException {
		CRC32 crc = new CRC32();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			while (channel.read(buffer.clear()) >= 0) {
				crc.update(buffer.flip());
			}
		}
		return crc.getValue();
	}

	/**
	 * Find what, at the cache's path, the cache cannot prove it created and so must not
	 * delete or replace: a file, a link, or a folder holding anything but a manifest of
	 * this cache and the libraries it lists. Nothing there, or an empty folder, is fine.
	 * @param directory the cache folder
	 * @param source the source, whose library names the cache may have written
	 * @return what is there, in words, or empty when the cache may replace it
	 * @throws IOException when the folder cannot be listed
	 */
	static Optional<String> foreignContent(Path directory, NativeLibrarySource source) throws IOException {
		if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
			return Optional.empty();
		}
		if (Files.isSymbolicLink(directory)) {
			return Optional.of("is a symbolic link");
		}
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			return Optional.of("is a file, not a folder");
		}
		List<String> names;
		try (Stream<Path> entries = Files.list(directory)) {
			names = entries.map((entry) -> entry.getFileName().toString()).sorted().toList();
		}
		if (names.isEmpty()) {
			return Optional.empty();
		}
		Set<String> own = ownFileNames(directory, source);
		List<String> foreign = names.stream()
			.filter((name) -> !own.contains(name)
					|| !Files.isRegularFile(directory.resolve(name), LinkOption.NOFOLLOW_LINKS))
			.toList();
		if (foreign.isEmpty()) {
			return Optional.empty();
		}
		// a count, not names: the reason reaches the log and the onnx endpoint, and a
		// folder such as / or a home folder is nobody's business there
		return Optional.of("holds " + foreign.size() + ((foreign.size() == 1) ? " entry" : " entries")
				+ " the cache did not create");
	}

	// empty unless the folder has a manifest of this cache: then the files it lists
	private static Set<String> ownFileNames(Path directory, NativeLibrarySource source) throws IOException {
		Path manifest = directory.resolve(FILE_NAME);
		if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS) || Files.size(manifest) > MAX_MANIFEST_SIZE) {
			return Set.of();
		}
		List<String> lines;
		try {
			lines = Files.readString(manifest, StandardCharsets.UTF_8).lines().toList();
		}
		catch (CharacterCodingException ex) {
			return Set.of();
		}
		if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
			return Set.of();
		}
		Set<String> own = new HashSet<>();
		own.add(FILE_NAME);
		// a cut manifest still proves the folder is the cache's; the libraries it missed
		// carry the source's names
		source.libraries().forEach((library) -> own.add(library.name()));
		for (String line : lines) {
			String[] fields = line.split("\t", -1);
			if (fields[0].equals("file") && fields.length == 6) {
				own.add(fields[5]);
			}
		}
		return own;
	}

	private static String checksum(String content) {
		CRC32 crc = new CRC32();
		crc.update(content.getBytes(StandardCharsets.UTF_8));
		return HexFormat.of().toHexDigits((int) crc.getValue());
	}

}
