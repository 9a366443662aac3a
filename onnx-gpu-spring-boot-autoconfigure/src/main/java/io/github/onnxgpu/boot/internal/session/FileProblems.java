package io.github.onnxgpu.boot.internal.session;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * Says why a location that does not exist cannot be read: a symbolic link loop or a
 * dangling link is not a missing file, and is fixed differently.
 */
final class FileProblems {

	// the kernel's own limit on Linux
	private static final int MAX_LINKS = 40;

	private FileProblems() {
	}

	/**
	 * Why a resource that does not exist is not there.
	 * @param location the resource
	 * @return the reason in words, completing "the model file X ..."
	 */
	static String whyMissing(Resource location) {
		Path path = path(location);
		if (path == null) {
			return "does not exist";
		}
		try {
			Files.readAttributes(path, BasicFileAttributes.class);
			return "cannot be opened";
		}
		catch (NoSuchFileException ex) {
			return Files.isSymbolicLink(path) ? "is a symbolic link to " + target(path) + ", which does not exist"
					: "does not exist";
		}
		catch (FileSystemException ex) {
			if (isLoop(path) || String.valueOf(ex.getReason()).contains("symbolic links")) {
				return "is a symbolic link loop (" + ex.getReason() + "); its links lead back to themselves";
			}
			return "cannot be read (" + ex.getReason() + ")";
		}
		catch (IOException | RuntimeException ex) {
			return "cannot be read (" + ex.getMessage() + ")";
		}
	}

	private static @Nullable Path path(Resource location) {
		try {
			return location.getFile().toPath();
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static String target(Path link) {
		try {
			return Files.readSymbolicLink(link).toString();
		}
		catch (IOException | RuntimeException ex) {
			return "a file";
		}
	}

	// follows the links of the path itself; a loop through a parent folder shows as the
	// operating system's reason instead
	private static boolean isLoop(Path path) {
		Set<Path> seen = new HashSet<>();
		Path current = path.toAbsolutePath().normalize();
		for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(current); i++) {
			if (!seen.add(current)) {
				return true;
			}
			try {
				current = current.resolveSibling(Files.readSymbolicLink(current)).toAbsolutePath().normalize();
			}
			catch (IOException | RuntimeException ex) {
				return false;
			}
		}
		return Files.isSymbolicLink(current);
	}

}
