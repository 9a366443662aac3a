package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult.Status;

/**
 * A folder holding the unpacked native libraries of one {@link NativeLibrarySource},
 * ready for ONNX Runtime's {@code onnxruntime.native.path}.
 * <p>
 * Safe when several processes start at once: each one unpacks into its own staging folder
 * beside the cache folder and publishes it with one atomic rename. The first rename wins;
 * the others find a complete cache in place and use it. A cache that is incomplete,
 * changed, or made from other libraries is moved aside and replaced the same way. Nothing
 * is ever written into the folder in place, so a process that already checked it never
 * sees it half-written.
 * <p>
 * Only a folder that the cache can prove it created (by its manifest, holding nothing but
 * the files it lists) is ever replaced; anything else at the path, a file or a folder of
 * the user's, is left as it is and the cache is not used.
 */
public class NativeLibraryCache {

	// a cache replaced by a process that just lost the race again is very unlikely
	private static final int PUBLISH_ATTEMPTS = 3;

	private final Path directory;

	/**
	 * Create a cache in the given folder.
	 * @param directory the folder, created when needed
	 */
	public NativeLibraryCache(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
	}

	/**
	 * The default folder for a source: {@code ~/.cache/onnx-gpu-spring-boot/}, then the
	 * ONNX Runtime version and the {@linkplain NativeLibrarySource#checksum() checksum}
	 * of its libraries, so that every ONNX Runtime build gets its own folder.
	 * @param userHome the user's home folder
	 * @param source the source
	 * @return the folder
	 */
	public static Path defaultDirectory(Path userHome, NativeLibrarySource source) {
		String version = source.version().replaceAll("[^A-Za-z0-9._-]", "_");
		return userHome.resolve(".cache").resolve("onnx-gpu-spring-boot").resolve(version + "-" + source.checksum());
	}

	/**
	 * The cache folder.
	 * @return the absolute folder
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Make sure the folder holds a complete copy of the source's libraries, unpacking
	 * them when it does not.
	 * @param source the source
	 * @return {@link Status#HIT} or {@link Status#CREATED}, with this folder
	 * @throws ForeignContentException when the folder must be replaced but holds
	 * something the cache did not create
	 * @throws IOException when the cache cannot be written, for example on a read-only or
	 * full disk
	 */
	public NativeLibraryCacheResult prepare(NativeLibrarySource source) throws IOException {
		long start = System.nanoTime();
		Optional<String> problem = NativeLibraryManifest.problem(this.directory, source);
		if (problem.isEmpty()) {
			return result(Status.HIT, "the cache is complete", start);
		}
		requireOwnContent(source);
		try {
			return build(source, problem.get(), start);
		}
		catch (ForeignContentException ex) {
			throw ex;
		}
		catch (IOException ex) {
			// keep why it was rebuilt: a damaged cache on a read-only disk must say so
			throw new IOException(problem.get() + "; building the cache failed: " + ex, ex);
		}
	}

	private NativeLibraryCacheResult build(NativeLibrarySource source, String problem, long start) throws IOException {
		Path parent = this.directory.getParent();
		Files.createDirectories(parent);
		Path staging = Files.createDirectory(sibling("staging"));
		try {
			unpack(source, staging);
			NativeLibraryManifest.write(staging, source);
			return publish(staging, source, problem, start);
		}
		finally {
			deleteQuietly(staging);
		}
	}

	private void unpack(NativeLibrarySource source, Path staging) throws IOException {
		for (NativeLibrary library : source.libraries()) {
			Path target = staging.resolve(library.name());
			CRC32 crc = new CRC32();
			try (InputStream in = new CheckedInputStream(source.open(library), crc)) {
				Files.copy(in, target);
			}
			if (crc.getValue() != library.crc() || Files.size(target) != library.size()) {
				throw new IOException(library.name() + " read from " + source.description() + " is corrupt");
			}
		}
	}

	private NativeLibraryCacheResult publish(Path staging, NativeLibrarySource source, String problem, long start)
			throws IOException {
		for (int attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
			try {
				Files.move(staging, this.directory, StandardCopyOption.ATOMIC_MOVE);
				return result(Status.CREATED, "the cache was built because " + problem, start);
			}
			catch (FileSystemException ex) {
				if (!Files.exists(this.directory)) {
					throw ex;
				}
				// another process published first, or an unusable cache is in the way
				// (the
				// exception type for a non-empty target differs between platforms)
				if (NativeLibraryManifest.problem(this.directory, source).isEmpty()) {
					return result(Status.HIT, "another process built the cache at the same time", start);
				}
				requireOwnContent(source);
				moveAside();
			}
		}
		throw new IOException("Could not replace " + this.directory + ": other processes keep changing it");
	}

	private void requireOwnContent(NativeLibrarySource source) throws IOException {
		Optional<String> foreign = NativeLibraryManifest.foreignContent(this.directory, source);
		if (foreign.isPresent()) {
			throw new ForeignContentException(this.directory, foreign.get());
		}
	}

	private void moveAside() throws IOException {
		Path aside = Files.createDirectory(sibling("stale"));
		try {
			Files.move(this.directory, aside.resolve("cache"), StandardCopyOption.ATOMIC_MOVE);
		}
		catch (NoSuchFileException ex) {
			// another process moved it aside first
		}
		finally {
			deleteQuietly(aside);
		}
	}

	// not Files.createTempDirectory: its owner-only permissions would stay with the cache
	private Path sibling(String purpose) {
		String name = "." + this.directory.getFileName() + "-" + purpose + "-" + UUID.randomUUID();
		return this.directory.resolveSibling(name);
	}

	private NativeLibraryCacheResult result(Status status, String reason, long start) {
		Duration timeSpent = Duration.ofNanos(System.nanoTime() - start);
		return new NativeLibraryCacheResult(status, this.directory, reason, timeSpent);
	}

	// best effort: on Windows, libraries loaded by another process cannot be deleted
	private static void deleteQuietly(Path path) {
		if (!Files.exists(path)) {
			return;
		}
		try {
			Files.walkFileTree(path, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					Files.deleteIfExists(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path dir, IOException ex) throws IOException {
					Files.deleteIfExists(dir);
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			// leftovers are named ".<cache>-staging-*" or ".<cache>-stale-*" and harmless
		}
	}

}
