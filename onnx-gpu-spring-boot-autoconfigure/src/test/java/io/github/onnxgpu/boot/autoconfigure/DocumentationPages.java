package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The project's documentation pages: {@code README.md} (the newcomer's path) and the
 * reference pages {@code docs/*.md}, which the documentation tests read.
 */
final class DocumentationPages {

	private DocumentationPages() {
	}

	/**
	 * The project's root folder.
	 * @return the folder holding {@code README.md} and the modules
	 */
	static Path root() {
		// Surefire runs in the module's folder, an IDE perhaps in the project's
		for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
			if (Files.isDirectory(folder.resolve("onnx-gpu-spring-boot-autoconfigure"))
					&& Files.isRegularFile(folder.resolve("README.md"))) {
				return folder;
			}
		}
		throw new IllegalStateException("No project README.md above " + Path.of("").toAbsolutePath());
	}

	/**
	 * {@code README.md} and every {@code docs/*.md}, in that order.
	 * @return the pages
	 */
	static List<Path> pages() {
		return pages(root());
	}

	static List<Path> pages(Path root) {
		List<Path> pages = new ArrayList<>();
		pages.add(root.resolve("README.md"));
		Path docs = root.resolve("docs");
		if (Files.isDirectory(docs)) {
			try (Stream<Path> files = Files.list(docs)) {
				files.filter((file) -> file.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return pages;
	}

	/**
	 * A page's path as the writer knows it, such as {@code docs/configuration.md}.
	 * @param page the page
	 * @return its path relative to the project's root, with forward slashes
	 */
	static String name(Path page) {
		return name(root(), page);
	}

	static String name(Path root, Path page) {
		return root.toAbsolutePath()
			.normalize()
			.relativize(page.toAbsolutePath().normalize())
			.toString()
			.replace('\\', '/');
	}

}
