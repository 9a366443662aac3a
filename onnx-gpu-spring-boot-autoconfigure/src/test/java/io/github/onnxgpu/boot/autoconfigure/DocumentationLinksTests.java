package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the links between the documentation pages ({@code README.md} and
 * {@code docs/*.md}) lead somewhere: every relative link to a file that exists, every
 * {@code #anchor} to a heading of its page.
 */
class DocumentationLinksTests {

	@Test
	void everyRelativeLinkAndAnchorOfTheDocumentationResolves() {
		List<Path> pages = DocumentationPages.pages();
		assertThat(pages).as("README.md and docs/*.md").hasSizeGreaterThan(1);
		MarkdownLinks links = new MarkdownLinks(DocumentationPages.root());
		List<String> broken = links.brokenLinks(pages);
		assertThat(broken)
			.withFailMessage("Broken links in the documentation; fix the link or the heading it points to:%n  %s",
					String.join("\n  ", broken))
			.isEmpty();
		assertThat(links.checked()).as("relative links checked").isGreaterThan(50);
	}

	@Test
	void reportsALinkToAFileThatDoesNotExist(@TempDir Path root) throws IOException {
		Path page = write(root, "docs/page.md", "# Page", "", "See [the guide](guide.md) and [the code](../src/).");
		write(root, "src/Main.java", "class Main {}");
		assertThat(new MarkdownLinks(root).brokenLinks(List.of(page)))
			.containsExactly("docs/page.md:3: [the guide](guide.md): no file docs/guide.md");
	}

	@Test
	void reportsAnAnchorThatMatchesNoHeading(@TempDir Path root) throws IOException {
		Path page = write(root, "docs/page.md", "# Page", "", "## The `onnx` endpoint", "",
				"[ok](#the-onnx-endpoint), [broken](#the-endpoint), [elsewhere](other.md#options)");
		write(root, "docs/other.md", "# Other", "## Settings");
		assertThat(new MarkdownLinks(root).brokenLinks(List.of(page))).containsExactly(
				"docs/page.md:5: [broken](#the-endpoint): no heading of docs/page.md has the anchor #the-endpoint; "
						+ "its anchors are [page, the-onnx-endpoint]",
				"docs/page.md:5: [elsewhere](other.md#options): no heading of docs/other.md has the anchor #options; "
						+ "its anchors are [other, settings]");
	}

	@Test
	void ignoresLinksInCodeAndToOtherSites(@TempDir Path root) throws IOException {
		Path page = write(root, "README.md", "# Readme", "", "```markdown", "[not a link](missing.md)",
				"# not a heading", "```", "", "`[code](missing.md)`, [site](https://example.com/x.md#y),",
				"<http://localhost:8080/>, [mail](mailto:someone@example.com)");
		MarkdownLinks links = new MarkdownLinks(root);
		assertThat(links.brokenLinks(List.of(page))).isEmpty();
		assertThat(links.checked()).isZero();
	}

	@Test
	void anchorsFollowGitHubsHeadingRule() {
		assertThat(MarkdownLinks.slug("The `onnx` endpoint")).isEqualTo("the-onnx-endpoint");
		assertThat(MarkdownLinks.slug("ONNX Runtime's own log lines")).isEqualTo("onnx-runtimes-own-log-lines");
		assertThat(MarkdownLinks.slug("Models: `onnx.models.<name>.*`")).isEqualTo("models-onnxmodelsname");
		assertThat(MarkdownLinks.slug("Choosing `cudnn-conv-algo-search`"))
			.isEqualTo("choosing-cudnn-conv-algo-search");
		assertThat(MarkdownLinks.slug("Measured: the first HTTP request (CPU)"))
			.isEqualTo("measured-the-first-http-request-cpu");
		assertThat(MarkdownLinks.slug("1. `pom.xml`")).isEqualTo("1-pomxml");
		assertThat(MarkdownLinks.slug("Runtime and shutdown: `onnx.runtime.*`, `onnx.shutdown.*`"))
			.isEqualTo("runtime-and-shutdown-onnxruntime-onnxshutdown");
		assertThat(MarkdownLinks.slug("A [linked](x.md) **bold** heading")).isEqualTo("a-linked-bold-heading");
	}

	@Test
	void repeatedHeadingsGetNumberedAnchors(@TempDir Path root) throws IOException {
		Path page = write(root, "docs/page.md", "# Page", "## Limits", "## Limits", "",
				"[first](#limits), [second](#limits-1), [third](#limits-2)");
		assertThat(new MarkdownLinks(root).brokenLinks(List.of(page)))
			.containsExactly("docs/page.md:5: [third](#limits-2): no heading of docs/page.md has the anchor "
					+ "#limits-2; its anchors are [page, limits, limits-1]");
	}

	private static Path write(Path root, String name, String... lines) throws IOException {
		Path file = root.resolve(name);
		Files.createDirectories(file.getParent());
		return Files.write(file, List.of(lines));
	}

}
