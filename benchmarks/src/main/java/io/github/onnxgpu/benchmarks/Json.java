package io.github.onnxgpu.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for trial specs, trial reports and result files.
 */
public final class Json {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Json() {
	}

	/**
	 * One line of JSON.
	 * @param value a record, map or list
	 * @return the JSON text, without line breaks
	 */
	public static String line(Object value) {
		return MAPPER.writeValueAsString(value);
	}

	/**
	 * Read JSON text.
	 * @param <T> the type
	 * @param json the text
	 * @param type the type
	 * @return the value
	 */
	public static <T> T read(String json, Class<T> type) {
		return MAPPER.readValue(json, type);
	}

	/**
	 * Read a JSON file.
	 * @param <T> the type
	 * @param file the file
	 * @param type the type
	 * @return the value
	 */
	public static <T> T read(Path file, Class<T> type) {
		try {
			return read(Files.readString(file), type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

	/**
	 * Write a value to a file, indented for people reading it and for diffs.
	 * @param file the file
	 * @param value the value
	 */
	public static void write(Path file, Object value) {
		try {
			Files.writeString(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
	}

}
