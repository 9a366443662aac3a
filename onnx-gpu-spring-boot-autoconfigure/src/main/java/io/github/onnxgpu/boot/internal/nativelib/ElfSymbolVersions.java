package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The symbol versions an ELF shared library defines ({@code .gnu.version_d}) and needs
 * from others ({@code .gnu.version_r}), read from the file without loading it: ONNX
 * Runtime's core library defines {@code VERS_<version>} for its API, and its JNI library
 * needs the one it was built against. Only 64-bit little-endian ELF files, as on
 * linux-x64 and linux-aarch64, are read.
 *
 * @param defined the versions the library defines
 * @param needed the versions the library needs, whichever library they come from
 */
public record ElfSymbolVersions(Set<String> defined, Set<String> needed) {

	private static final int SHT_GNU_VERDEF = 0x6ffffffd;

	private static final int SHT_GNU_VERNEED = 0x6ffffffe;

	/**
	 * Read the versions of a library file.
	 * @param file the library
	 * @return its versions
	 * @throws IOException when the file cannot be read or is no 64-bit little-endian ELF
	 * file
	 */
	public static ElfSymbolVersions read(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			// mapped, not read: the core library is tens of megabytes, of which a few
			// pages are looked at
			return read(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), file.toString());
		}
	}

	/**
	 * Read the versions of a library in memory.
	 * @param elf the library's bytes
	 * @param name the library, for messages
	 * @return its versions
	 * @throws IOException when the bytes are no 64-bit little-endian ELF file
	 */
	public static ElfSymbolVersions read(ByteBuffer elf, String name) throws IOException {
		ByteBuffer buffer = elf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		try {
			if (buffer.limit() < 64 || buffer.getInt(0) != 0x464c457f) {
				throw new IOException(name + " is not an ELF file");
			}
			if (buffer.get(4) != 2 || buffer.get(5) != 1) {
				throw new IOException(name + " is not a 64-bit little-endian ELF file");
			}
			long sectionHeaders = buffer.getLong(0x28);
			int entrySize = Short.toUnsignedInt(buffer.getShort(0x3a));
			int count = Short.toUnsignedInt(buffer.getShort(0x3c));
			Set<String> defined = new LinkedHashSet<>();
			Set<String> needed = new LinkedHashSet<>();
			for (int i = 0; i < count; i++) {
				int header = Math.toIntExact(sectionHeaders + (long) i * entrySize);
				int type = buffer.getInt(header + 4);
				if (type != SHT_GNU_VERDEF && type != SHT_GNU_VERNEED) {
					continue;
				}
				int offset = Math.toIntExact(buffer.getLong(header + 24));
				int link = buffer.getInt(header + 40);
				int entries = buffer.getInt(header + 44);
				int strings = Math
					.toIntExact(buffer.getLong(Math.toIntExact(sectionHeaders + (long) link * entrySize) + 24));
				if (type == SHT_GNU_VERDEF) {
					definitions(buffer, offset, entries, strings, defined);
				}
				else {
					needs(buffer, offset, entries, strings, needed);
				}
			}
			return new ElfSymbolVersions(Set.copyOf(defined), Set.copyOf(needed));
		}
		catch (IndexOutOfBoundsException | ArithmeticException ex) {
			throw new IOException(name + " is a truncated or damaged ELF file", ex);
		}
	}

	private static void definitions(ByteBuffer buffer, int offset, int entries, int strings, Set<String> into) {
		int entry = offset;
		for (int i = 0; i < entries; i++) {
			int aux = buffer.getInt(entry + 12);
			// the first auxiliary entry names the version itself, further ones its
			// parents
			into.add(string(buffer, strings + buffer.getInt(entry + aux)));
			int next = buffer.getInt(entry + 16);
			if (next == 0) {
				break;
			}
			entry += next;
		}
	}

	private static void needs(ByteBuffer buffer, int offset, int entries, int strings, Set<String> into) {
		int entry = offset;
		for (int i = 0; i < entries; i++) {
			int auxCount = Short.toUnsignedInt(buffer.getShort(entry + 2));
			int aux = entry + buffer.getInt(entry + 8);
			for (int j = 0; j < auxCount; j++) {
				into.add(string(buffer, strings + buffer.getInt(aux + 8)));
				int nextAux = buffer.getInt(aux + 12);
				if (nextAux == 0) {
					break;
				}
				aux += nextAux;
			}
			int next = buffer.getInt(entry + 12);
			if (next == 0) {
				break;
			}
			entry += next;
		}
	}

	private static String string(ByteBuffer buffer, int start) {
		int end = start;
		while (buffer.get(end) != 0) {
			end++;
		}
		byte[] bytes = new byte[end - start];
		buffer.get(start, bytes);
		return new String(bytes, StandardCharsets.US_ASCII);
	}

	/**
	 * The ONNX Runtime version among versions: the one named {@code VERS_<version>}.
	 * @param versions the versions
	 * @return the version, such as {@code 1.29.0}, {@code null} when none is named so
	 */
	public static @Nullable String onnxRuntimeVersion(Set<String> versions) {
		return versions.stream()
			.filter((version) -> version.matches("VERS_\\d+\\.\\d+\\.\\d+.*"))
			.map((version) -> version.substring("VERS_".length()))
			.findFirst()
			.orElse(null);
	}

}
