package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the broken links of Markdown pages: relative links to files that do not exist,
 * and {@code #anchors} that match no heading of the target page under GitHub's rule for
 * heading anchors. Links to other sites are not followed.
 */
final class MarkdownLinks {

	private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,})");

	private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");

	// [text](target) and ![alt](target), with an optional "title"
	private static final Pattern LINK = Pattern
		.compile("!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

	private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

	private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s[^>]*(?:id|name)=\"([^\"]+)\"");

	private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

	private final Path root;

	private final Map<Path, Set<String>> anchors = new HashMap<>();

	private int checked;

	MarkdownLinks(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	/**
	 * Checks every relative link of the given pages.
	 * @param pages the pages to check
	 * @return one line per broken link, naming the page, the line and what is wrong
	 */
	List<String> brokenLinks(List<Path> pages) {
		List<String> problems = new ArrayList<>();
		for (Path page : pages) {
			Path source = page.toAbsolutePath().normalize();
			List<String> lines = lines(source);
			boolean fenced = false;
			for (int number = 1; number <= lines.size(); number++) {
				String line = lines.get(number - 1);
				if (FENCE.matcher(line).find()) {
					fenced = !fenced;
					continue;
				}
				if (fenced) {
					continue;
				}
				Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
				while (link.find()) {
					String problem = problem(source, link.group(2));
					if (problem != null) {
						problems.add(DocumentationPages.name(this.root, source) + ":" + number + ": " + link.group()
								+ ": " + problem);
					}
				}
			}
		}
		return problems;
	}

	/**
	 * How many relative links the last {@link #brokenLinks(List)} checked.
	 * @return the number of links to files and anchors checked
	 */
	int checked() {
		return this.checked;
	}

	private String problem(Path source, String target) {
		if (target.isEmpty() || SCHEME.matcher(target).find()) {
			return null;
		}
		this.checked++;
		int hash = target.indexOf('#');
		String file = URLDecoder.decode((hash != -1) ? target.substring(0, hash) : target, StandardCharsets.UTF_8);
		String anchor = (hash != -1) ? target.substring(hash + 1) : null;
		Path resolved = file.isEmpty() ? source : source.getParent().resolve(file).normalize();
		if (!Files.exists(resolved)) {
			return "no file " + DocumentationPages.name(this.root, resolved);
		}
		if (anchor == null) {
			return null;
		}
		if (!resolved.getFileName().toString().endsWith(".md") || Files.isDirectory(resolved)) {
			return "an anchor into " + DocumentationPages.name(this.root, resolved) + ", which is not a Markdown page";
		}
		Set<String> known = anchors(resolved);
		if (!known.contains(anchor)) {
			return "no heading of " + DocumentationPages.name(this.root, resolved) + " has the anchor #" + anchor
					+ "; its anchors are " + known;
		}
		return null;
	}

	private Set<String> anchors(Path page) {
		return this.anchors.computeIfAbsent(page, (key) -> {
			Set<String> anchors = new LinkedHashSet<>();
			Map<String, Integer> seen = new HashMap<>();
			boolean fenced = false;
			for (String line : lines(key)) {
				if (FENCE.matcher(line).find()) {
					fenced = !fenced;
					continue;
				}
				if (fenced) {
					continue;
				}
				Matcher heading = HEADING.matcher(line);
				if (heading.matches()) {
					String slug = slug(heading.group(1));
					int count = seen.merge(slug, 1, Integer::sum);
					anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
				}
				Matcher html = HTML_ANCHOR.matcher(line);
				while (html.find()) {
					anchors.add(html.group(1));
				}
			}
			return anchors;
		});
	}

	/**
	 * The anchor GitHub gives a heading: its text as rendered, lower case, without
	 * punctuation and symbols except hyphens and underscores, each space a hyphen.
	 * @param heading the heading's Markdown text
	 * @return the anchor, without {@code #}
	 */
	static String slug(String heading) {
		StringBuilder text = new StringBuilder();
		Matcher code = CODE_SPAN.matcher(heading);
		int last = 0;
		while (code.find()) {
			text.append(rendered(heading.substring(last, code.start())));
			text.append(code.group(2).strip());
			last = code.end();
		}
		text.append(rendered(heading.substring(last)));
		StringBuilder slug = new StringBuilder();
		text.toString().strip().toLowerCase(Locale.ROOT).codePoints().forEach((character) -> {
			if (character == ' ') {
				slug.append('-');
			}
			else if (Character.isLetterOrDigit(character) || character == '-' || character == '_'
					|| Character.getType(character) == Character.NON_SPACING_MARK) {
				slug.appendCodePoint(character);
			}
		});
		return slug.toString();
	}

	// the text of Markdown outside code spans: a link's text, no emphasis markers
	private static String rendered(String markdown) {
		return markdown.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("*", "");
	}

	private static List<String> lines(Path page) {
		try {
			return Files.readAllLines(page);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
