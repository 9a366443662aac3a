package io.github.onnxgpu.boot.internal.tuning;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the tuning choice of each model in a folder, one file per model and
 * {@link TuningKey}: {@code <model>-<first 16 hex digits of the key's hash>.properties}.
 * <p>
 * An entry is UTF-8 text in the format of {@link Properties}, written the same way every
 * time: the format version, the chosen candidate, the provider, when it was tuned, each
 * candidate's sum of p50, and last the key's full canonical text, so that an entry
 * written for other inputs, or cut short, is never taken for this key's. An entry that
 * cannot be used is ignored with one warning; storing the next choice replaces it. The
 * cache never deletes a file it did not create.
 */
public final class TuningCache {

	private static final Log logger = LogFactory.getLog(TuningCache.class);

	private static final String FORMAT = "1";

	private static final String DIRECTORY_PROPERTY = "onnx.models.<name>.tuning.cache.directory";

	private final Path directory;

	/**
	 * Create a cache that keeps its entries in the given folder.
	 * @param directory the folder, created when the first entry is stored
	 */
	public TuningCache(Path directory) {
		this.directory = directory;
	}

	/**
	 * The folder used when none is configured: {@code onnx-gpu-spring-boot/tuning} under
	 * the user's cache folder ({@code $XDG_CACHE_HOME}, else {@code ~/.cache}), the same
	 * base as the TensorRT caches.
	 * @return the default folder
	 * @throws IllegalStateException when {@code $XDG_CACHE_HOME} is not set and the user
	 * has no home folder
	 */
	public static Path defaultDirectory() {
		return defaultDirectory(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
	}

	static Path defaultDirectory(@Nullable String xdgCacheHome, @Nullable String userHome) {
		Path base;
		if (xdgCacheHome != null && !xdgCacheHome.isBlank()) {
			base = Path.of(xdgCacheHome);
		}
		else if (userHome == null || userHome.isEmpty() || userHome.equals("?")) {
			// the JVM answers "?" when the user has no home, as in some containers
			throw new IllegalStateException("There is no user home folder and XDG_CACHE_HOME is not set, so the "
					+ "tuning cache has no default folder: set " + DIRECTORY_PROPERTY
					+ " to a writable folder, or onnx.models.<name>.tuning.cache.enabled=false");
		}
		else {
			base = Path.of(userHome, ".cache");
		}
		return base.resolve("onnx-gpu-spring-boot").resolve("tuning");
	}

	/**
	 * The folder that holds the entries.
	 * @return the folder
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * The file that holds the entry for a key.
	 * @param key the key
	 * @return {@code <directory>/<model>-<first 16 hex digits of the key's hash>.properties}
	 */
	public Path entryFile(TuningKey key) {
		return this.directory.resolve(key.model() + "-" + key.hash().substring(0, 16) + ".properties");
	}

	/**
	 * The entry for a key. An entry that is corrupt, cannot be read, or was written for
	 * another key is logged as one warning naming the model, the file and why, and
	 * ignored. Never throws for problems with the file.
	 * @param key the key
	 * @return the entry, or {@code null} when there is none or it cannot be used
	 */
	public @Nullable TuningEntry find(TuningKey key) {
		Path file = entryFile(key);
		String text;
		try {
			byte[] bytes = Files.readAllBytes(file);
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (CharacterCodingException ex) {
			return ignore(key, file, "it is not UTF-8 text");
		}
		catch (IOException | RuntimeException ex) {
			return ignore(key, file, "it cannot be read: " + ex);
		}
		try {
			return parse(key, text);
		}
		catch (CorruptEntryException ex) {
			return ignore(key, file, ex.getMessage());
		}
		catch (RuntimeException ex) {
			return ignore(key, file, "it cannot be parsed: " + ex);
		}
	}

	/**
	 * Store the entry for a key atomically: write a temporary file in the folder, then
	 * move it over the entry in one step, so that a reader sees the old entry or the new
	 * one, never a part. Creates the folder and its parents when missing. On failure,
	 * removes the temporary file it created; deletes nothing else, ever.
	 * @param key the key
	 * @param entry the choice
	 * @throws IOException when the entry cannot be written
	 * @throws IllegalArgumentException when the entry does not hold one sum of p50 per
	 * candidate of a key that lists its candidates
	 */
	public void store(TuningKey key, TuningEntry entry) throws IOException {
		if (!key.candidates().isEmpty() && entry.sumP50Millis().size() != key.candidates().size()) {
			throw new IllegalArgumentException("The tuning entry of ONNX model '" + key.model() + "' holds "
					+ entry.sumP50Millis().size() + " sums of p50 for " + key.candidates().size() + " candidates");
		}
		Path file = entryFile(key);
		byte[] bytes = text(key, entry).getBytes(StandardCharsets.UTF_8);
		Files.createDirectories(this.directory);
		Path temporary = this.directory.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
		boolean created = false;
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE)) {
				created = true;
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException | RuntimeException ex) {
			if (created) {
				try {
					Files.deleteIfExists(temporary);
				}
				catch (IOException | RuntimeException suppressed) {
					ex.addSuppressed(suppressed);
				}
			}
			throw ex;
		}
	}

	private static @Nullable TuningEntry ignore(TuningKey key, Path file, String reason) {
		logger.warn("ONNX model '" + key.model() + "': the tuning cache entry " + file + " is ignored, so the model "
				+ "is tuned again and the entry rewritten: " + reason);
		return null;
	}

	private static String text(TuningKey key, TuningEntry entry) {
		StringBuilder text = new StringBuilder();
		text.append("# The tuning choice of ONNX model '")
			.append(key.model())
			.append("', written by the ONNX GPU Spring Boot starter. Delete this file to tune again.\n");
		property(text, "format", FORMAT);
		property(text, "chosen", Integer.toString(entry.chosen()));
		property(text, "provider", entry.provider());
		property(text, "tunedAt", entry.tunedAt().toString());
		List<String> sums = new ArrayList<>();
		for (Double sum : entry.sumP50Millis()) {
			sums.add(Double.toString(sum));
		}
		property(text, "sumP50Millis", String.join(",", sums));
		// last, so that an entry cut short never matches
		property(text, "key", key.canonicalText());
		return text.toString();
	}

	private static void property(StringBuilder text, String name, String value) {
		text.append(name).append('=');
		boolean lineStart = true;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\n') {
				text.append("\\n");
				if (i < value.length() - 1) {
					// a continuation line, one per line of the value
					text.append("\\\n  ");
					lineStart = true;
				}
				continue;
			}
			if (lineStart && (c == ' ' || c == '#' || c == '!')) {
				text.append('\\').append(c);
			}
			else if (c == '\\') {
				text.append("\\\\");
			}
			else if (c == '\r') {
				text.append("\\r");
			}
			else if (c == '\t') {
				text.append("\\t");
			}
			else if (c == '\f') {
				text.append("\\f");
			}
			else if (c < 0x20 || c == 0x7f) {
				text.append("\\u").append(HexFormat.of().toHexDigits(c));
			}
			else {
				text.append(c);
			}
			lineStart = false;
		}
		text.append('\n');
	}

	private static TuningEntry parse(TuningKey key, String text) throws CorruptEntryException {
		Properties properties = new Properties();
		try {
			properties.load(new StringReader(text));
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new CorruptEntryException("it is not in the format of a properties file: " + ex.getMessage());
		}
		String format = required(properties, "format");
		if (!format.equals(FORMAT)) {
			throw new CorruptEntryException("its format is " + shown(format) + ", not " + FORMAT);
		}
		String written = required(properties, "key");
		String expected = key.canonicalText();
		if (!written.equals(expected)) {
			throw new CorruptEntryException(expected.startsWith(written) ? "it is cut short"
					: "it was written for another key (" + difference(written, expected) + ")");
		}
		String chosenText = required(properties, "chosen");
		int chosen;
		try {
			chosen = Integer.parseInt(chosenText);
		}
		catch (NumberFormatException ex) {
			throw new CorruptEntryException("chosen is " + shown(chosenText) + ", not a whole number");
		}
		String provider = required(properties, "provider");
		String tunedAtText = required(properties, "tunedAt");
		Instant tunedAt;
		try {
			tunedAt = Instant.parse(tunedAtText);
		}
		catch (DateTimeParseException ex) {
			throw new CorruptEntryException("tunedAt is " + shown(tunedAtText) + ", not an ISO-8601 instant");
		}
		String sumsText = properties.getProperty("sumP50Millis");
		if (sumsText == null) {
			throw new CorruptEntryException("it has no sumP50Millis");
		}
		List<Double> sums = new ArrayList<>();
		if (!sumsText.isEmpty()) {
			for (String sum : sumsText.split(",", -1)) {
				try {
					sums.add(Double.valueOf(sum.strip()));
				}
				catch (NumberFormatException ex) {
					throw new CorruptEntryException("sumP50Millis holds " + shown(sum) + ", not a number");
				}
			}
		}
		// a key without candidates stands for the defaults of the provider that ran,
		// whose number the entry alone knows
		int candidates = key.candidates().isEmpty() ? sums.size() : key.candidates().size();
		if (sums.isEmpty() || sums.size() != candidates) {
			throw new CorruptEntryException(
					"it holds " + sums.size() + " sums of p50 (sumP50Millis) for " + candidates + " candidates");
		}
		if (chosen < 0 || chosen >= candidates) {
			throw new CorruptEntryException("chosen is " + chosen + ", not one of the " + candidates + " candidates");
		}
		return new TuningEntry(chosen, provider, tunedAt, sums);
	}

	private static String required(Properties properties, String name) throws CorruptEntryException {
		String value = properties.getProperty(name);
		if (value == null || value.isEmpty()) {
			throw new CorruptEntryException("it has no " + name);
		}
		return value;
	}

	// names the first line that differs, never its value: a key holds the user's settings
	private static String difference(String written, String expected) {
		String[] writtenLines = written.split("\n", -1);
		String[] expectedLines = expected.split("\n", -1);
		for (int i = 0; i < expectedLines.length; i++) {
			if (i >= writtenLines.length || !writtenLines[i].equals(expectedLines[i])) {
				String line = expectedLines[i];
				int end = line.indexOf('=');
				return (end > 0) ? "its " + line.substring(0, end) + " differs" : "it has fewer lines";
			}
		}
		return "it has more lines";
	}

	private static String shown(String value) {
		String shown = (value.length() > 40) ? value.substring(0, 40) + "..." : value;
		return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
	}

	/**
	 * Why an entry cannot be used.
	 */
	private static final class CorruptEntryException extends Exception {

		CorruptEntryException(String message) {
			super(message);
		}

	}

}
