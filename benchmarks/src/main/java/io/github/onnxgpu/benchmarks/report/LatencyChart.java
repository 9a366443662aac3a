package io.github.onnxgpu.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A PNG picture of latency against throughput, drawn with Java2D on a headless image:
 * throughput on a linear x axis, latency on a logarithmic y axis (from a tenth of a
 * millisecond to seconds in one picture), one line per series, each point optionally
 * labelled, and the legend beside the plot.
 */
public final class LatencyChart {

	private static final int WIDTH = 1200;

	private static final int HEIGHT = 600;

	private static final int LEFT = 80;

	// the legend goes right of the plot, where it hides no point
	private static final int RIGHT = 320;

	private static final int TOP = 50;

	private static final int BOTTOM = 60;

	private static final Color[] COLORS = { new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
			new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b) };

	private LatencyChart() {
	}

	/**
	 * Draw the picture and write it as PNG.
	 * @param file the file, replaced if it exists
	 * @param title the title above the plot
	 * @param xLabel the x axis's label
	 * @param yLabel the y axis's label
	 * @param series the lines
	 * @return the file
	 */
	public static Path write(Path file, String title, String xLabel, String yLabel, List<Series> series) {
		System.setProperty("java.awt.headless", "true");
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		try {
			draw(graphics, title, xLabel, yLabel, series);
		}
		finally {
			graphics.dispose();
		}
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			if (!ImageIO.write(image, "png", file.toFile())) {
				throw new IllegalStateException("No PNG writer in this JVM");
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
	}

	private static void draw(Graphics2D graphics, String title, String xLabel, String yLabel, List<Series> series) {
		graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		graphics.setColor(Color.WHITE);
		graphics.fillRect(0, 0, WIDTH, HEIGHT);
		double maxX = 0;
		double minY = Double.MAX_VALUE;
		double maxY = 0;
		for (Series line : series) {
			for (Point point : line.points()) {
				maxX = Math.max(maxX, point.x());
				minY = Math.min(minY, point.y());
				maxY = Math.max(maxY, point.y());
			}
		}
		if (maxX <= 0) {
			maxX = 1;
		}
		if (maxY <= 0) {
			minY = 0.1;
			maxY = 1;
		}
		Axes axes = new Axes(niceCeiling(maxX * 1.05), Math.floor(Math.log10(Math.max(minY, 1e-4))),
				Math.ceil(Math.log10(Math.max(maxY, 1e-4) * 1.01)));
		graphics.setColor(Color.BLACK);
		graphics.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
		graphics.drawString(title, LEFT, TOP - 22);
		grid(graphics, axes, xLabel, yLabel);
		for (int i = 0; i < series.size(); i++) {
			line(graphics, axes, series.get(i), COLORS[series.get(i).color() % COLORS.length]);
		}
		legend(graphics, series);
	}

	private static void grid(Graphics2D graphics, Axes axes, String xLabel, String yLabel) {
		graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		FontMetrics metrics = graphics.getFontMetrics();
		int plotRight = WIDTH - RIGHT;
		int plotBottom = HEIGHT - BOTTOM;
		for (double decade = axes.minLog(); decade <= axes.maxLog(); decade++) {
			for (int step = 1; step < 10; step++) {
				double value = Math.pow(10, decade) * step;
				if (Math.log10(value) > axes.maxLog() + 1e-9) {
					break;
				}
				int y = axes.y(value);
				graphics.setColor((step == 1) ? new Color(0xcccccc) : new Color(0xeeeeee));
				graphics.drawLine(LEFT, y, plotRight, y);
				if (step == 1 || step == 2 || step == 5) {
					String label = millis(value);
					graphics.setColor(Color.DARK_GRAY);
					graphics.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + 4);
				}
			}
		}
		double tick = axes.maxX() / 5;
		for (int i = 0; i <= 5; i++) {
			double value = tick * i;
			int x = axes.x(value);
			graphics.setColor(new Color(0xeeeeee));
			graphics.drawLine(x, TOP, x, plotBottom);
			String label = String.format(Locale.ROOT, "%,.0f", value);
			graphics.setColor(Color.DARK_GRAY);
			graphics.drawString(label, x - metrics.stringWidth(label) / 2, plotBottom + 18);
		}
		graphics.setColor(Color.BLACK);
		graphics.drawRect(LEFT, TOP, plotRight - LEFT, plotBottom - TOP);
		graphics.drawString(xLabel, LEFT + (plotRight - LEFT - metrics.stringWidth(xLabel)) / 2, HEIGHT - 18);
		Graphics2D rotated = (Graphics2D) graphics.create();
		rotated.rotate(-Math.PI / 2);
		rotated.drawString(yLabel, -(TOP + (plotBottom - TOP + metrics.stringWidth(yLabel)) / 2), 20);
		rotated.dispose();
	}

	private static void line(Graphics2D graphics, Axes axes, Series series, Color color) {
		Stroke stroke = series.dashed()
				? new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1, new float[] { 6, 5 }, 0)
				: new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
		graphics.setColor(color);
		graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
		List<Point> points = series.points();
		for (int i = 0; i < points.size(); i++) {
			int x = axes.x(points.get(i).x());
			int y = axes.y(points.get(i).y());
			if (i > 0) {
				graphics.setStroke(stroke);
				graphics.drawLine(axes.x(points.get(i - 1).x()), axes.y(points.get(i - 1).y()), x, y);
			}
			graphics.setStroke(new BasicStroke(1));
			if (series.dashed()) {
				graphics.fillRect(x - 3, y - 3, 7, 7);
			}
			else {
				graphics.fillOval(x - 4, y - 4, 9, 9);
			}
			String label = points.get(i).label();
			if (label != null && !label.isEmpty()) {
				graphics.drawString(label, x + 6, y - 5);
			}
		}
	}

	private static void legend(Graphics2D graphics, List<Series> series) {
		graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		FontMetrics metrics = graphics.getFontMetrics();
		int width = series.stream().mapToInt((line) -> metrics.stringWidth(line.label())).max().orElse(0) + 50;
		int x = WIDTH - RIGHT + 20;
		int y = TOP;
		graphics.setColor(new Color(255, 255, 255, 230));
		graphics.fillRect(x - 6, y - 4, width, series.size() * 18 + 6);
		graphics.setColor(new Color(0xbbbbbb));
		graphics.drawRect(x - 6, y - 4, width, series.size() * 18 + 6);
		for (int i = 0; i < series.size(); i++) {
			Series line = series.get(i);
			int rowY = y + 8 + i * 18;
			graphics.setColor(COLORS[line.color() % COLORS.length]);
			graphics.setStroke(line.dashed()
					? new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1, new float[] { 6, 5 }, 0)
					: new BasicStroke(2.2f));
			graphics.drawLine(x, rowY, x + 28, rowY);
			graphics.setStroke(new BasicStroke(1));
			graphics.setColor(Color.BLACK);
			graphics.drawString(line.label(), x + 36, rowY + 4);
		}
	}

	// 1, 2 or 5 times a power of ten, at least the value
	static double niceCeiling(double value) {
		double power = Math.pow(10, Math.floor(Math.log10(value)));
		for (double step : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (step * power >= value) {
				return step * power;
			}
		}
		return 10 * power;
	}

	private static String millis(double value) {
		if (value >= 1000) {
			return String.format(Locale.ROOT, "%.0f s", value / 1000);
		}
		if (value >= 1) {
			return String.format(Locale.ROOT, "%.0f ms", value);
		}
		return new BigDecimal(value).round(new MathContext(1)).stripTrailingZeros().toPlainString() + " ms";
	}

	/**
	 * One line of the picture.
	 *
	 * @param label its legend
	 * @param color its colour's index; lines of one subject share a colour
	 * @param dashed whether the line is dashed (with square points) rather than solid
	 * (with round points)
	 * @param points its points, joined in order
	 */
	public record Series(String label, int color, boolean dashed, List<Point> points) {

		public Series {
			points = List.copyOf(points);
		}

	}

	/**
	 * One point.
	 *
	 * @param x throughput
	 * @param y latency, in milliseconds (above 0)
	 * @param label a label beside it, or an empty string
	 */
	public record Point(double x, double y, String label) {
	}

	private record Axes(double maxX, double minLog, double maxLog) {

		Axes {
			if (maxLog <= minLog) {
				maxLog = minLog + 1;
			}
		}

		int x(double value) {
			return LEFT + (int) Math.round(value / this.maxX * (WIDTH - RIGHT - LEFT));
		}

		int y(double millis) {
			double log = Math.log10(Math.max(millis, Math.pow(10, this.minLog)));
			double fraction = (log - this.minLog) / (this.maxLog - this.minLog);
			return HEIGHT - BOTTOM - (int) Math.round(fraction * (HEIGHT - BOTTOM - TOP));
		}

	}

}
