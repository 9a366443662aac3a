package io.github.onnxgpu.benchmarks.openinference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.Result;
import com.google.protobuf.ByteString;
import inference.GRPCInferenceServiceGrpc;
import inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import inference.OpenInferenceGrpc.ModelInferRequest;
import inference.OpenInferenceGrpc.ModelInferRequest.InferInputTensor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.testmodels.TestModels;

/**
 * The per-request cost of the Open Inference Protocol over an in-process
 * {@link OnnxInference} run, on one application in this JVM serving REST (Tomcat) and
 * gRPC (Netty) on loopback: REST with JSON data, REST with the binary tensor data
 * extension, gRPC with raw contents, and the direct run, for a small model (conv-net at
 * 1x3x32x32) and the detector at a 640x640 input, at 1 and 16 concurrent clients. Each
 * point runs for a fixed time after a warm-up; the variants alternate in rounds, so that
 * the load of a shared machine drifts over all of them. Writes
 * {@code benchmarks/results/cpu-open-inference-results.{md,json}}.
 * <p>
 * Run after {@code ./mvnw -pl benchmarks -am package -DskipTests}:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.onnxgpu.benchmarks.openinference.OpenInferenceBenchmark [seconds per point] [rounds]}.
 */
public final class OpenInferenceBenchmark {

	private static final List<String> VARIANTS = List.of("direct OnnxInference.run", "REST JSON", "REST binary",
			"gRPC raw");

	static {
		// the output of the benchmark is its file; keep Boot's banner out
		System.setProperty("spring.main.banner-mode", "off");
	}

	private OpenInferenceBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		double seconds = (args.length > 0) ? Double.parseDouble(args[0]) : 3;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 2;
		Path output = Path.of((args.length > 2) ? args[2] : "benchmarks/results");
		Path models = Files.createTempDirectory("oip-bench");
		Files.write(models.resolve("small.onnx"), TestModels.convNet());
		Files.write(models.resolve("detector.onnx"), TestModels.detector());
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchApplication.class)
			.properties("server.port=0", "spring.grpc.server.enabled=true", "spring.grpc.server.port=0",
					"onnx.cuda.enabled=false", "onnx.open-inference.rest.enabled=true",
					"onnx.open-inference.grpc.enabled=true", "onnx.open-inference.rest.max-request-size=128MB",
					"spring.grpc.server.max-inbound-message-size=64MB",
					"onnx.models.small.location=file:" + models.resolve("small.onnx"),
					"onnx.models.small.warmup.shapes[0].x=1x3x32x32",
					"onnx.models.detector.location=file:" + models.resolve("detector.onnx"),
					"onnx.models.detector.warmup.shapes[0].image=1x3x640x640", "logging.level.root=WARN")
			// over application.properties, which turns the server off for the other
			// scenarios
			.run("--spring.grpc.server.enabled=true")) {
			int httpPort = ((WebServerApplicationContext) context).getWebServer().getPort();
			int grpcPort = context.getBean(GrpcPortHolder.class).port;
			OnnxInference inference = context.getBean(OnnxInference.class);
			List<Map<String, Object>> rows = new ArrayList<>();
			String loadBefore = load();
			for (Case model : List.of(new Case("small", "x", new long[] { 1, 3, 32, 32 }),
					new Case("detector", "image", new long[] { 1, 3, 640, 640 }))) {
				Clients clients = new Clients(model, httpPort, grpcPort, inference);
				for (int concurrency : new int[] { 1, 16 }) {
					Map<String, List<Point>> points = new LinkedHashMap<>();
					for (int round = 0; round < rounds; round++) {
						List<String> order = new ArrayList<>(VARIANTS);
						java.util.Collections.rotate(order, -round);
						for (String variant : order) {
							Point point = measure(clients, variant, concurrency, seconds);
							points.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(point);
							System.out.printf(Locale.ROOT, "%s c=%d %s: %.1f req/s p50 %.3f ms p99 %.3f ms (load %s)%n",
									model.name, concurrency, variant, point.throughput, point.p50, point.p99, load());
						}
					}
					double directP50 = median(points.get(VARIANTS.get(0)).stream().map(Point::p50).toList());
					double directThroughput = median(
							points.get(VARIANTS.get(0)).stream().map(Point::throughput).toList());
					for (String variant : VARIANTS) {
						List<Point> runs = points.get(variant);
						Map<String, Object> row = new LinkedHashMap<>();
						row.put("model", model.name);
						row.put("input", Arrays.toString(model.shape));
						row.put("requestBytesJson", clients.json.length);
						row.put("requestBytesBinary", clients.binary.length);
						row.put("clients", concurrency);
						row.put("variant", variant);
						row.put("throughput", median(runs.stream().map(Point::throughput).toList()));
						row.put("p50Millis", median(runs.stream().map(Point::p50).toList()));
						row.put("p99Millis", median(runs.stream().map(Point::p99).toList()));
						row.put("p50OverDirect", (double) row.get("p50Millis") / directP50);
						row.put("throughputOverDirect", (double) row.get("throughput") / directThroughput);
						row.put("roundP50Millis", runs.stream().map(Point::p50).toList());
						row.put("roundThroughputs", runs.stream().map(Point::throughput).toList());
						rows.add(row);
					}
				}
				clients.close();
			}
			write(output, rows, seconds, rounds, loadBefore, load());
		}
	}

	private static Point measure(Clients clients, String variant, int concurrency, double seconds) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		try {
			// warm this variant's path at this concurrency
			run(pool, clients, variant, concurrency, Math.min(1.0, seconds / 3));
			List<long[]> latencies = run(pool, clients, variant, concurrency, seconds);
			long count = latencies.stream().mapToLong((each) -> each.length).sum();
			long[] all = new long[(int) count];
			int at = 0;
			for (long[] each : latencies) {
				System.arraycopy(each, 0, all, at, each.length);
				at += each.length;
			}
			Arrays.sort(all);
			return new Point(count / seconds, percentile(all, 50), percentile(all, 99), count);
		}
		finally {
			pool.shutdownNow();
			pool.awaitTermination(30, TimeUnit.SECONDS);
		}
	}

	private static List<long[]> run(ExecutorService pool, Clients clients, String variant, int concurrency,
			double seconds) throws Exception {
		long end = System.nanoTime() + (long) (seconds * 1e9);
		List<Future<long[]>> futures = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			futures.add(pool.submit(() -> {
				long[] latencies = new long[1024];
				int count = 0;
				while (System.nanoTime() < end) {
					long start = System.nanoTime();
					clients.call(variant);
					if (count == latencies.length) {
						latencies = Arrays.copyOf(latencies, count * 2);
					}
					latencies[count++] = System.nanoTime() - start;
				}
				return Arrays.copyOf(latencies, count);
			}));
		}
		List<long[]> result = new ArrayList<>();
		for (Future<long[]> future : futures) {
			result.add(future.get(10, TimeUnit.MINUTES));
		}
		return result;
	}

	private static double percentile(long[] sorted, int percentile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static String load() {
		return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
	}

	private static void write(Path output, List<Map<String, Object>> rows, double seconds, int rounds,
			String loadBefore, String loadAfter) throws IOException {
		Files.createDirectories(output);
		StringBuilder md = new StringBuilder();
		md.append("# Open Inference Protocol: per-request cost\n\n");
		md.append("Generated by `OpenInferenceBenchmark` on ")
			.append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
			.append(", ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores, load average ")
			.append(loadBefore)
			.append(" before and ")
			.append(loadAfter)
			.append(" after; ")
			.append(seconds)
			.append(" s per point after a warm-up, ")
			.append(rounds)
			.append(" rounds with the variants alternating, medians over the rounds. CPU, one JVM: the client "
					+ "threads share the cores with the server.\n\n");
		md.append("| model | input | clients | variant | req/s | p50 ms | p99 ms | p50 / direct | req/s / direct |\n");
		md.append("|---|---|---|---|---|---|---|---|---|\n");
		for (Map<String, Object> row : rows) {
			md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %.1f | %.3f | %.3f | %.2f | %.2f |%n",
					row.get("model"), row.get("input"), row.get("clients"), row.get("variant"), row.get("throughput"),
					row.get("p50Millis"), row.get("p99Millis"), row.get("p50OverDirect"),
					row.get("throughputOverDirect")));
		}
		md.append("\nRequest bodies: ");
		rows.stream()
			.filter((row) -> row.get("variant").equals(VARIANTS.get(0)) && (int) row.get("clients") == 1)
			.forEach((row) -> md.append(row.get("model"))
				.append(" JSON ")
				.append(row.get("requestBytesJson"))
				.append(" bytes, binary ")
				.append(row.get("requestBytesBinary"))
				.append(" bytes; "));
		md.append("\n");
		Files.writeString(output.resolve("cpu-open-inference-results.md"), md.toString());
		StringBuilder json = new StringBuilder("[\n");
		for (int i = 0; i < rows.size(); i++) {
			Map<String, Object> row = rows.get(i);
			json.append("  {");
			int field = 0;
			for (Map.Entry<String, Object> entry : row.entrySet()) {
				json.append((field++ > 0) ? ", " : "").append('"').append(entry.getKey()).append("\": ");
				Object value = entry.getValue();
				json.append((value instanceof String) ? "\"" + value + "\"" : String.valueOf(value));
			}
			json.append((i < rows.size() - 1) ? "},\n" : "}\n");
		}
		json.append("]\n");
		Files.writeString(output.resolve("cpu-open-inference-results.json"), json.toString());
		System.out.println(md);
	}

	record Case(String name, String input, long[] shape) {

		int elements() {
			return (int) Arrays.stream(this.shape).reduce(1, (a, b) -> a * b);
		}

	}

	record Point(double throughput, double p50, double p99, long requests) {

	}

	/**
	 * One client per variant, shared by the client threads (the HTTP client and the gRPC
	 * channel are thread-safe).
	 */
	static final class Clients {

		private final Case model;

		private final OnnxInference inference;

		private final float[] data;

		private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

		private final URI infer;

		final byte[] json;

		final byte[] binary;

		private final int headerLength;

		private final ManagedChannel channel;

		private final GRPCInferenceServiceBlockingStub stub;

		private final ModelInferRequest grpcRequest;

		Clients(Case model, int httpPort, int grpcPort, OnnxInference inference) {
			this.model = model;
			this.inference = inference;
			this.data = new float[model.elements()];
			Random random = new Random(42);
			for (int i = 0; i < this.data.length; i++) {
				this.data[i] = random.nextFloat();
			}
			this.infer = URI.create("http://localhost:" + httpPort + "/v2/models/" + model.name + "/infer");
			String shape = Arrays.toString(model.shape);
			StringBuilder json = new StringBuilder(this.data.length * 12);
			json.append("{\"inputs\": [{\"name\": \"")
				.append(model.input)
				.append("\", \"shape\": ")
				.append(shape)
				.append(", \"datatype\": \"FP32\", \"data\": [");
			for (int i = 0; i < this.data.length; i++) {
				json.append((i > 0) ? "," : "").append(this.data[i]);
			}
			json.append("]}]}");
			this.json = json.toString().getBytes(StandardCharsets.UTF_8);
			ByteBuffer bytes = ByteBuffer.allocate(this.data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
			bytes.asFloatBuffer().put(this.data);
			byte[] header = ("{\"inputs\": [{\"name\": \"" + model.input + "\", \"shape\": " + shape
					+ ", \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": " + bytes.capacity()
					+ "}}], \"parameters\": {\"binary_data_output\": true}}")
				.getBytes(StandardCharsets.UTF_8);
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			body.writeBytes(header);
			body.writeBytes(bytes.array());
			this.binary = body.toByteArray();
			this.headerLength = header.length;
			this.channel = ManagedChannelBuilder.forAddress("localhost", grpcPort)
				.usePlaintext()
				.maxInboundMessageSize(64 * 1024 * 1024)
				.build();
			this.stub = GRPCInferenceServiceGrpc.newBlockingStub(this.channel);
			InferInputTensor.Builder tensor = InferInputTensor.newBuilder().setName(model.input).setDatatype("FP32");
			Arrays.stream(model.shape).forEach(tensor::addShape);
			this.grpcRequest = ModelInferRequest.newBuilder()
				.setModelName(model.name)
				.addInputs(tensor)
				.addRawInputContents(ByteString.copyFrom(bytes.array()))
				.build();
		}

		void call(String variant) throws Exception {
			switch (variant) {
				case "direct OnnxInference.run" -> direct();
				case "REST JSON" -> post(this.json, null);
				case "REST binary" -> post(this.binary, Integer.toString(this.headerLength));
				case "gRPC raw" -> {
					if (this.stub.withDeadlineAfter(60, TimeUnit.SECONDS)
						.modelInfer(this.grpcRequest)
						.getRawOutputContentsCount() != 1) {
						throw new IllegalStateException("no output");
					}
				}
				default -> throw new IllegalArgumentException(variant);
			}
		}

		private void direct() throws Exception {
			// what a hand-written controller does with decoded floats: one tensor, one
			// run,
			// the output read out
			try (OnnxTensor input = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
					FloatBuffer.wrap(this.data), this.model.shape);
					Result result = this.inference.run(this.model.name, Map.of(this.model.input, input))) {
				((OnnxTensor) result.get(0)).getFloatBuffer();
			}
		}

		private void post(byte[] body, String headerLength) throws IOException, InterruptedException {
			HttpRequest.Builder request = HttpRequest.newBuilder(this.infer).POST(BodyPublishers.ofByteArray(body));
			if (headerLength != null) {
				request.header("Inference-Header-Content-Length", headerLength)
					.header("Content-Type", "application/octet-stream");
			}
			else {
				request.header("Content-Type", "application/json");
			}
			int status = this.http.send(request.build(), BodyHandlers.ofByteArray()).statusCode();
			if (status != 200) {
				throw new IllegalStateException("HTTP " + status);
			}
		}

		void close() throws InterruptedException {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}

	}

	static final class GrpcPortHolder implements ApplicationListener<GrpcServerStartedEvent> {

		volatile int port;

		@Override
		public void onApplicationEvent(GrpcServerStartedEvent event) {
			this.port = event.getPort();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class BenchApplication {

		@Bean
		GrpcPortHolder grpcPortHolder() {
			return new GrpcPortHolder();
		}

	}

}
