package io.github.onnxgpu.benchmarks.scenario;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpServer;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.http.HttpTrialApplication;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Summary;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.report.TargetCheck;
import io.github.onnxgpu.benchmarks.trial.TrialLauncher.Started;

/**
 * Scenario 6: the first HTTP request after readiness against the steady state, over a
 * real Spring MVC endpoint that decodes a PNG, runs the detector and answers JSON. Each
 * trial is a fresh JVM serving on loopback; this JVM is the client. Variants: no warmup,
 * the models' warmup, and the models' warmup plus warm-up requests
 * ({@code onnx.warmup.requests}) that send the same kind of request to the application
 * before it reports ready. Trials of the variants alternate.
 */
public final class HttpFirstRequestScenario implements Scenario {

	/**
	 * The most a warmed shape's first request may cost over its steady-state median, on
	 * the CPU.
	 */
	static final double TARGET_RATIO = 1.15;

	static final String NO_WARMUP = "no warmup";

	static final String MODEL_WARMUP = "model warmup";

	static final String WITH_REQUESTS = "model warmup + warm-up requests";

	private static final int WARMUP_REQUEST_REPEAT = 10;

	private final DetectorHttpClient http = new DetectorHttpClient();

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		BenchmarkModel detector = context.detector();
		Map<String, Path> images = writeImages(context.workDirectory(), detector.warmedShapes());
		warmClient();
		List<Trial> trials = new ArrayList<>();
		for (int trial = 1; trial <= context.profile().trials(); trial++) {
			for (String variant : List.of(NO_WARMUP, MODEL_WARMUP, WITH_REQUESTS)) {
				context.log("first HTTP request: " + variant + ", trial " + trial);
				trials.add(runTrial(context, detector, images, variant));
			}
		}
		return List.of(result(context, trials));
	}

	private Trial runTrial(ScenarioContext context, BenchmarkModel detector, Map<String, Path> images, String variant) {
		int port = DetectorHttpClient.freePort();
		Started server = context.launcher()
			.start(HttpTrialApplication.class, arguments(detector, images, variant, port));
		try {
			URI base = URI.create("http://127.0.0.1:" + port);
			this.http.awaitReady(server, base, context.profile().trialTimeout());
			// traffic reaches a pod some time after it turns ready; the JIT's queue
			// drains meanwhile
			DetectorHttpClient.sleep(idleAfterReady(context));
			Map<String, Double> first = new LinkedHashMap<>();
			images.forEach((shape, image) -> first.put(shape, this.http.timedPost(base, image)));
			Map<String, Double> steady = new LinkedHashMap<>();
			images.forEach((shape, image) -> {
				for (int i = 0; i < context.profile().steadyDiscard(); i++) {
					this.http.timedPost(base, image);
				}
				List<Double> runs = new ArrayList<>();
				for (int i = 0; i < context.profile().steadyRuns(); i++) {
					runs.add(this.http.timedPost(base, image));
				}
				steady.put(shape, Summary.of(runs).median());
			});
			return new Trial(variant, first, steady);
		}
		catch (RuntimeException ex) {
			throw server.failure(variant + ": " + ex.getMessage());
		}
		finally {
			server.stop(Duration.ofSeconds(30));
		}
	}

	private static List<String> arguments(BenchmarkModel detector, Map<String, Path> images, String variant, int port) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off", "--management.endpoints.web.exposure.include=health",
				"--management.endpoint.health.probes.enabled=true", "--onnx.cuda.enabled=false",
				"--onnx.models.detector.location=file:" + detector.file().toAbsolutePath()));
		if (variant.equals(NO_WARMUP)) {
			args.add("--onnx.warmup.enabled=false");
		}
		else {
			List<String> shapes = detector.warmedShapes();
			for (int i = 0; i < shapes.size(); i++) {
				args.add("--onnx.models.detector.warmup.shapes[" + i + "]." + detector.input() + "=" + shapes.get(i));
			}
		}
		if (variant.equals(WITH_REQUESTS)) {
			int i = 0;
			for (Path image : images.values()) {
				String request = "--onnx.warmup.requests[" + i++ + "].";
				args.addAll(List.of(request + "path=/detect", request + "method=POST",
						request + "body=file:" + image.toAbsolutePath(), request + "content-type=image/png",
						request + "repeat=" + WARMUP_REQUEST_REPEAT));
			}
		}
		return args;
	}

	/**
	 * Compile this JVM's side of a request (the HTTP client sending a file) before any
	 * trial, against a throwaway loopback server, so that the first trial's first request
	 * does not include the client's own warmup.
	 */
	private void warmClient() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", (exchange) -> {
				exchange.getRequestBody().readAllBytes();
				byte[] body = "{}".getBytes();
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			server.start();
			try {
				Path file = Files.createTempFile("client-warmup", ".bin");
				Files.write(file, new byte[4096]);
				HttpRequest request = HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
					.header("Content-Type", "image/png")
					.POST(HttpRequest.BodyPublishers.ofFile(file))
					.build();
				for (int i = 0; i < 500; i++) {
					this.http.client().send(request, HttpResponse.BodyHandlers.ofString());
				}
				Files.delete(file);
			}
			finally {
				server.stop(0);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private static ScenarioResult result(ScenarioContext context, List<Trial> trials) {
		Table.Builder table = Table.builder(
				"First POST /detect after readiness at each warmed shape, against that "
						+ "shape's steady-state median over HTTP (" + context.profile().steadyRuns()
						+ " requests after " + context.profile().steadyDiscard() + " untimed); median (min–max) over "
						+ context.profile().trials() + " fresh JVMs per variant",
				"Variant", "Shape", "First request ms", "Steady p50 ms", "First / p50");
		List<TargetCheck> targets = new ArrayList<>();
		for (String variant : List.of(NO_WARMUP, MODEL_WARMUP, WITH_REQUESTS)) {
			List<Trial> ofVariant = trials.stream().filter((trial) -> trial.variant().equals(variant)).toList();
			for (String shape : ofVariant.get(0).first().keySet()) {
				Summary first = Summary.of(ofVariant.stream().map((trial) -> trial.first().get(shape)).toList());
				Summary steady = Summary.of(ofVariant.stream().map((trial) -> trial.steady().get(shape)).toList());
				Summary ratio = Summary.of(ofVariant.stream()
					.map((trial) -> trial.first().get(shape) / trial.steady().get(shape))
					.toList());
				table.row(variant, shape, first.format(2), steady.format(2), ratio.format(2));
				if (variant.equals(WITH_REQUESTS) && !context.gpu()) {
					targets.add(new TargetCheck("detector " + shape + " (" + variant + ")",
							"median first/p50 <= " + TARGET_RATIO, String.format(Locale.ROOT, "%.2f", ratio.median()),
							ratio.median() <= TARGET_RATIO));
				}
			}
		}
		List<String> notes = List.of(
				"Each trial is a fresh JVM running a Spring MVC application on loopback; this JVM is the client "
						+ "(its HTTP client is compiled against a throwaway server before the first trial). Ready "
						+ "means /actuator/health/readiness answered 200, polled every 50 ms; the first request "
						+ "follows after " + idleAfterReady(context) + " ms, as traffic reaches a pod some time after "
						+ "it turns ready.",
				"A request decodes a PNG, normalises it into a 1x3xHxW tensor, runs the detector through "
						+ "OnnxInference and summarises the probability map into JSON. The first requests at the "
						+ "shapes are sent in the order listed, so the later shapes' first requests find the request "
						+ "path already compiled by the earlier one.",
				"Warm-up requests: onnx.warmup.requests posts the same image of each shape " + WARMUP_REQUEST_REPEAT
						+ " times to the application itself before readiness turns to ACCEPTING_TRAFFIC.");
		return ScenarioResult.completed("6", "First HTTP request after readiness",
				"How much slower the first real HTTP request is than the thousandth, for a Spring MVC endpoint with "
						+ "pre- and post-processing around the model: no warmup, model warmup, and model warmup plus "
						+ "warm-up requests.",
				List.of(table.build()), targets, notes, trials);
	}

	static Map<String, Path> writeImages(Path directory, List<String> shapes) {
		Map<String, Path> images = new LinkedHashMap<>();
		Random random = new Random(6);
		for (String shape : shapes) {
			String[] dims = shape.split("x");
			int height = Integer.parseInt(dims[2]);
			int width = Integer.parseInt(dims[3]);
			BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
			for (int y = 0; y < height; y++) {
				for (int x = 0; x < width; x++) {
					image.setRGB(x, y, random.nextInt(0x1000000));
				}
			}
			Path file = directory.resolve("detect-" + shape + ".png");
			try {
				ImageIO.write(image, "png", file.toFile());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot write " + file, ex);
			}
			images.put(shape, file);
		}
		return images;
	}

	private static int idleAfterReady(ScenarioContext context) {
		return "quick".equals(context.profile().name()) ? 50 : 1000;
	}

	/**
	 * One trial's figures.
	 *
	 * @param variant the variant
	 * @param first the first request's time per shape, ms
	 * @param steady the steady-state median per shape, ms
	 */
	record Trial(String variant, Map<String, Double> first, Map<String, Double> steady) {
	}

}
