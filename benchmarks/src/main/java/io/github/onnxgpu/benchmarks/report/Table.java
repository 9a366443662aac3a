package io.github.onnxgpu.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of a scenario's results, rendered in Markdown and kept in the JSON file.
 *
 * @param caption what the rows are
 * @param headers the column headers
 * @param rows the rows, each as long as the headers
 */
public record Table(String caption, List<String> headers, List<List<String>> rows) {

	public Table {
		headers = List.copyOf(headers);
		rows = List.copyOf(rows);
	}

	/**
	 * Start a table.
	 * @param caption what the rows are
	 * @param headers the column headers
	 * @return a builder
	 */
	public static Builder builder(String caption, String... headers) {
		return new Builder(caption, List.of(headers));
	}

	/**
	 * Collects the rows of a table.
	 */
	public static final class Builder {

		private final String caption;

		private final List<String> headers;

		private final List<List<String>> rows = new ArrayList<>();

		private Builder(String caption, List<String> headers) {
			this.caption = caption;
			this.headers = headers;
		}

		/**
		 * Add a row.
		 * @param cells one cell per header
		 * @return this builder
		 */
		public Builder row(String... cells) {
			if (cells.length != this.headers.size()) {
				throw new IllegalArgumentException(
						"A row of '" + this.caption + "' needs " + this.headers.size() + " cells, not " + cells.length);
			}
			this.rows.add(List.of(cells));
			return this;
		}

		/**
		 * The table.
		 * @return the table
		 */
		public Table build() {
			return new Table(this.caption, this.headers, this.rows);
		}

	}

}
