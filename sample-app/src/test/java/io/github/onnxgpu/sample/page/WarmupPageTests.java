package io.github.onnxgpu.sample.page;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.github.onnxgpu.boot.internal.warmup.Dimensions;
import io.github.onnxgpu.boot.model.OnnxModelRegistry;
import io.github.onnxgpu.sample.SampleApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page at {@code /} rendered by headless Chromium against the running sample: one
 * pair of bars (first and last iteration) per warmup shape. The DOM and the screenshot
 * are kept in {@code target/chromium} to look at. Without Chromium the class is disabled
 * by a condition, not by an assumption in {@code @BeforeAll}: Surefire counts a disabled
 * class's tests as skipped, and an aborted {@code @BeforeAll} as nothing.
 */
@EnabledIf(value = "chromiumOnThePath",
		disabledReason = "chromium is not on the PATH (apt-get install -y chromium): the page is not rendered")
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class WarmupPageTests {

	private static final Path ARTIFACTS = Path.of("target", "chromium");

	// the colours of .first and .last in style.css
	private static final int FIRST_BAR = 0xE8590C;

	private static final int LAST_BAR = 0x1971C2;

	private static Path chromium;

	@Value("${local.server.port}")
	int port;

	@Autowired
	OnnxModelRegistry registry;

	// chromium's profile and output: fresh for every test
	@TempDir
	Path runDirectory;

	static boolean chromiumOnThePath() {
		return HeadlessChromium.find() != null;
	}

	@BeforeAll
	static void findChromium() throws Exception {
		chromium = HeadlessChromium.find();
		Files.createDirectories(ARTIFACTS);
	}

	@Test
	void pageShowsFirstAndLastIterationBarsForEveryWarmupShape() throws Exception {
		String dom = chromium().dumpDom(pageUrl());
		Files.writeString(ARTIFACTS.resolve("warmup-page.html"), dom);
		assertThat(dom).contains("data-model=\"detector\"").contains("data-rendered=\"true\"");
		List<String> shapes = warmedShapes();
		assertThat(shapes).hasSize(3);
		for (String shape : shapes) {
			String entry = shapeEntry(dom, shape);
			assertThat(barWidth(entry, "first")).as("first bar of %s", shape).isPositive();
			assertThat(barWidth(entry, "last")).as("last bar of %s", shape).isPositive();
		}
	}

	@Test
	void pageScreenshotShowsBarsInBothColours() throws Exception {
		Path file = ARTIFACTS.resolve("warmup-page.png");
		chromium().screenshot(pageUrl(), file);
		BufferedImage image = ImageIO.read(file.toFile());
		assertThat(image.getWidth()).isEqualTo(1200);
		Set<Integer> colours = new HashSet<>();
		int firstPixels = 0;
		int lastPixels = 0;
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				int rgb = image.getRGB(x, y) & 0xFFFFFF;
				colours.add(rgb);
				firstPixels += (rgb == FIRST_BAR) ? 1 : 0;
				lastPixels += (rgb == LAST_BAR) ? 1 : 0;
			}
		}
		assertThat(colours).as("distinct colours: a blank page has one").hasSizeGreaterThan(10);
		// three bars of at least 18x10 px each, and the legend's swatch
		assertThat(firstPixels).as("pixels of the first-iteration colour").isGreaterThan(3 * 18 * 10);
		assertThat(lastPixels).as("pixels of the last-iteration colour").isGreaterThan(3 * 18 * 10);
	}

	private List<String> warmedShapes() {
		return this.registry.get("detector")
			.warmupShapes()
			.stream()
			.map((shape) -> Dimensions.format(shape.get("image")))
			.toList();
	}

	private static String shapeEntry(String dom, String shape) {
		int start = dom.indexOf("data-shape=\"" + shape + "\"");
		assertThat(start).as("chart entry of shape %s in %s", shape, dom).isNotNegative();
		int next = dom.indexOf("data-shape=", start + 1);
		return dom.substring(start, (next > 0) ? next : dom.length());
	}

	private static int barWidth(String entry, String kind) {
		Matcher matcher = Pattern.compile("class=\"bar " + kind + "\"[^>]*style=\"width: (\\d+)%").matcher(entry);
		assertThat(matcher.find()).as("%s bar in %s", kind, entry).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

	private HeadlessChromium chromium() {
		return HeadlessChromium.of(chromium, this.runDirectory);
	}

	private String pageUrl() {
		return "http://localhost:" + this.port + "/";
	}

}
