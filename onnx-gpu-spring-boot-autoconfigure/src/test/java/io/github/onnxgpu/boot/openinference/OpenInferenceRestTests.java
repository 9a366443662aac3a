package io.github.onnxgpu.boot.openinference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.onnxgpu.boot.model.OnnxInference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol's REST endpoints over HTTP: every endpoint, JSON and binary bodies,
 * outputs equal to a direct {@link OnnxInference} run, every bad input refused with the
 * spec's status and a message naming the model and the input, and busy refusals answered
 * 503 with Retry-After at once.
 */
class OpenInferenceRestTests extends OpenInferenceTestApplication {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	OnnxInference inference;

	@Test
	void healthAndServerMetadata() throws Exception {
		assertThat(get("/v2/health/live")).satisfies((answer) -> {
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.json().get("live").booleanValue()).isTrue();
		});
		assertThat(get("/v2/health/ready")).satisfies((answer) -> {
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.json().get("ready").booleanValue()).isTrue();
		});
		JsonNode metadata = get("/v2").json();
		assertThat(metadata.get("name").stringValue()).isEqualTo("onnx-gpu-spring-boot-starter");
		assertThat(metadata.get("version").isString()).isTrue();
		assertThat(metadata.get("extensions").values()).extracting(JsonNode::stringValue)
			.contains("binary_tensor_data");
	}

	@Test
	void modelMetadataGivesDatatypesAndDynamicDimensionsButNoLocation() throws Exception {
		Answer answer = get("/v2/models/all");
		assertThat(answer.status()).isEqualTo(200);
		JsonNode metadata = answer.json();
		assertThat(metadata.get("name").stringValue()).isEqualTo("all");
		assertThat(metadata.get("platform").stringValue()).isEqualTo("onnx_onnxv1");
		assertThat(metadata.get("versions").values()).extracting(JsonNode::stringValue).containsExactly("1");
		assertThat(metadata.get("inputs").values())
			.extracting((input) -> input.get("name").stringValue() + " " + input.get("datatype").stringValue() + " "
					+ input.get("shape"))
			.containsExactly("in_float FP32 [-1,4]", "in_float16 FP16 [-1,4]", "in_double FP64 [-1,4]",
					"in_int8 INT8 [-1,4]", "in_int16 INT16 [-1,4]", "in_int32 INT32 [-1,4]", "in_int64 INT64 [-1,4]",
					"in_uint8 UINT8 [-1,4]", "in_bool BOOL [-1,4]");
		assertThat(metadata.get("outputs").size()).isEqualTo(9);
		assertThat(get("/v2/models/fixed").json().get("inputs").get(0).get("shape").toString())
			.isEqualTo("[1,3,32,32]");
		assertThat(get("/v2/models/strings").json().get("inputs").get(0).get("datatype").stringValue())
			.isEqualTo("BYTES");
		assertThat(get("/v2/models/unsigned").json().get("inputs").get(0).get("datatype").stringValue())
			.isEqualTo("UINT32");
		assertThat(get("/v2/models/all/versions/1").json()).isEqualTo(metadata);
		assertThat(answer.text()).doesNotContain(MODELS.toString()).doesNotContain(".onnx").doesNotContain("file:");
	}

	@Test
	void modelReadyAndVersions() throws Exception {
		assertThat(get("/v2/models/scaled/ready")).satisfies((answer) -> {
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.json().get("name").stringValue()).isEqualTo("scaled");
			assertThat(answer.json().get("ready").booleanValue()).isTrue();
		});
		assertThat(get("/v2/models/scaled/versions/1/ready").status()).isEqualTo(200);
		assertThat(get("/v2/models/scaled/versions/7/ready")).satisfies((answer) -> {
			assertThat(answer.status()).isEqualTo(404);
			assertThat(answer.error()).contains("'scaled'", "no version '7'", "serves version 1");
		});
		assertThat(post("/v2/models/scaled/versions/2/infer", scaledRequest()).status()).isEqualTo(404);
		assertThat(post("/v2/models/scaled/versions/1/infer", scaledRequest()).status()).isEqualTo(200);
	}

	@Test
	void unknownModelIs404() throws Exception {
		for (Answer answer : List.of(get("/v2/models/nope"), get("/v2/models/nope/ready"),
				post("/v2/models/nope/infer", scaledRequest()))) {
			assertThat(answer.status()).isEqualTo(404);
			assertThat(answer.error()).isEqualTo("Unknown model 'nope'");
		}
	}

	@Test
	void inferAsJsonFlatOrNestedEqualsDirectRun() throws Exception {
		float[][] x = { { 1, 2, 3, 4 }, { -5, 6.5f, 7, 8 } };
		float[][] expected = directScaled(x, 0.5f);
		String flat = """
				{"id": "r-1", "parameters": {"custom": 3},
				 "inputs": [{"name": "x", "shape": [2, 4], "datatype": "FP32", "data": [1, 2, 3, 4, -5, 6.5, 7, 8]},
				            {"name": "scale", "shape": [], "datatype": "FP32", "data": [0.5]}]}""";
		String nested = """
				{"inputs": [{"name": "x", "shape": [2, 4], "datatype": "FP32", "data": [[1, 2, 3, 4], [-5, 6.5, 7, 8]]},
				            {"name": "scale", "shape": [], "datatype": "FP32", "data": [0.5]}]}""";
		for (String body : List.of(flat, nested)) {
			Answer answer = post("/v2/models/scaled/infer", body);
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.contentType()).startsWith("application/json");
			JsonNode json = answer.json();
			assertThat(json.get("model_name").stringValue()).isEqualTo("scaled");
			assertThat(json.get("model_version").stringValue()).isEqualTo("1");
			JsonNode y = json.get("outputs").get(0);
			assertThat(y.get("name").stringValue()).isEqualTo("y");
			assertThat(y.get("datatype").stringValue()).isEqualTo("FP32");
			assertThat(y.get("shape").toString()).isEqualTo("[2,4]");
			assertThat(floats(y.get("data"))).containsExactly(flatten(expected));
		}
		assertThat(post("/v2/models/scaled/infer", flat).json().get("id").stringValue()).isEqualTo("r-1");
		assertThat(post("/v2/models/scaled/infer", nested).json().has("id")).isFalse();
	}

	@Test
	void everyDatatypeRoundTripsAsJsonAndAsBinary() throws Exception {
		Map<String, String> data = Map.of("FP32", "[1.5, -2, 3.25, 4]", "FP16", "[1.5, -2, 0.25, 65504]", "FP64",
				"[1e300, -2.5, 3, 4]", "INT8", "[-128, 0, 1, 127]", "INT16", "[-32768, 0, 1, 32767]", "INT32",
				"[-2147483648, 0, 1, 2147483647]", "INT64", "[-9223372036854775808, 0, 1, 9223372036854775807]",
				"UINT8", "[0, 1, 128, 255]", "BOOL", "[true, false, false, true]");
		List<String> inputs = new ArrayList<>();
		Map<String, String> types = Map.of("FP32", "float", "FP16", "float16", "FP64", "double", "INT8", "int8",
				"INT16", "int16", "INT32", "int32", "INT64", "int64", "UINT8", "uint8", "BOOL", "bool");
		types.forEach((datatype, suffix) -> inputs.add("{\"name\": \"in_" + suffix + "\", \"shape\": [1, 4], "
				+ "\"datatype\": \"" + datatype + "\", \"data\": " + data.get(datatype) + "}"));
		String request = "{\"inputs\": [" + String.join(",", inputs) + "]}";
		JsonNode json = post("/v2/models/all/infer", request).json();
		assertThat(json.get("outputs").size()).isEqualTo(9);
		for (JsonNode output : json.get("outputs").values()) {
			String datatype = output.get("datatype").stringValue();
			JsonNode expected = JSON.readTree(data.get(datatype));
			JsonNode actual = output.get("data");
			assertThat(actual.size()).as(datatype).isEqualTo(expected.size());
			for (int i = 0; i < expected.size(); i++) {
				JsonNode want = expected.get(i);
				JsonNode got = actual.get(i);
				if (want.isBoolean()) {
					assertThat(got.booleanValue()).as(datatype).isEqualTo(want.booleanValue());
				}
				else if (want.isIntegralNumber()) {
					assertThat(got.longValue()).as(datatype).isEqualTo(want.longValue());
				}
				else {
					assertThat(got.doubleValue()).as(datatype).isEqualTo(want.doubleValue());
				}
			}
		}
		// the same outputs as binary data
		Answer binary = post("/v2/models/all/infer",
				request.replace("{\"inputs\"", "{\"parameters\": {\"binary_data_output\": true}, \"inputs\""));
		assertThat(binary.contentType()).isEqualTo("application/octet-stream");
		int headerLength = Integer.parseInt(binary.header("Inference-Header-Content-Length"));
		JsonNode header = JSON.readTree(Arrays.copyOf(binary.body(), headerLength));
		ByteBuffer tail = ByteBuffer.wrap(binary.body(), headerLength, binary.body().length - headerLength)
			.slice()
			.order(ByteOrder.LITTLE_ENDIAN);
		for (JsonNode output : header.get("outputs").values()) {
			assertThat(output.has("data")).isFalse();
			int size = output.get("parameters").get("binary_data_size").intValue();
			if (output.get("datatype").stringValue().equals("INT64")) {
				assertThat(size).isEqualTo(32);
				assertThat(tail.getLong(tail.position())).isEqualTo(Long.MIN_VALUE);
				assertThat(tail.getLong(tail.position() + 24)).isEqualTo(Long.MAX_VALUE);
			}
			if (output.get("datatype").stringValue().equals("BOOL")) {
				assertThat(size).isEqualTo(4);
				assertThat(new byte[] { tail.get(tail.position()), tail.get(tail.position() + 1) }).containsExactly(1,
						0);
			}
			tail.position(tail.position() + size);
		}
		assertThat(tail.hasRemaining()).isFalse();
	}

	@Test
	void outputsSelectsTheOutputsAnswered() throws Exception {
		String request = """
				{"inputs": [%s],
				 "outputs": [{"name": "out_int64"}, {"name": "out_bool", "parameters": {"binary_data": false}}]}"""
			.formatted(allInputs());
		JsonNode json = post("/v2/models/all/infer", request).json();
		assertThat(json.get("outputs").values()).extracting((output) -> output.get("name").stringValue())
			.containsExactly("out_int64", "out_bool");
	}

	@Test
	void binaryInputsAndOutputsEqualDirectRun() throws Exception {
		float[][] x = { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 } };
		float[][] expected = directScaled(x, 3);
		ByteBuffer xBytes = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
		for (float[] row : x) {
			for (float value : row) {
				xBytes.putFloat(value);
			}
		}
		byte[] scale = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(3).array();
		String header = """
				{"id": "bin", "inputs": [
				  {"name": "x", "shape": [3, 4], "datatype": "FP32", "parameters": {"binary_data_size": 48}},
				  {"name": "scale", "shape": [], "datatype": "FP32", "parameters": {"binary_data_size": 4}}],
				 "outputs": [{"name": "y", "parameters": {"binary_data": true}}]}""";
		Answer answer = postBinary("/v2/models/scaled/infer", header, xBytes.array(), scale);
		assertThat(answer.status()).isEqualTo(200);
		int headerLength = Integer.parseInt(answer.header("Inference-Header-Content-Length"));
		JsonNode json = JSON.readTree(Arrays.copyOf(answer.body(), headerLength));
		assertThat(json.get("id").stringValue()).isEqualTo("bin");
		JsonNode y = json.get("outputs").get(0);
		assertThat(y.get("parameters").get("binary_data_size").intValue()).isEqualTo(48);
		assertThat(answer.body().length).isEqualTo(headerLength + 48);
		FloatBuffer floats = ByteBuffer.wrap(answer.body(), headerLength, 48)
			.slice()
			.order(ByteOrder.LITTLE_ENDIAN)
			.asFloatBuffer();
		float[] actual = new float[12];
		floats.get(actual);
		assertThat(actual).containsExactly(flatten(expected));
		// JSON outputs for binary inputs
		Answer mixed = postBinary("/v2/models/scaled/infer",
				header.replace("\"binary_data\": true", "\"binary_data\": false"), xBytes.array(), scale);
		assertThat(mixed.contentType()).startsWith("application/json");
		assertThat(floats(mixed.json().get("outputs").get(0).get("data"))).containsExactly(flatten(expected));
	}

	@Test
	void stringsAsJsonAndAsBinary() throws Exception {
		JsonNode json = post("/v2/models/strings/infer", """
				{"inputs": [{"name": "text", "shape": [2], "datatype": "BYTES", "data": ["héllo", ""]}]}""").json();
		assertThat(json.get("outputs").get(0).get("data").toString()).isEqualTo("[\"héllo\",\"\"]");
		byte[] hello = "héllo".getBytes(StandardCharsets.UTF_8);
		ByteBuffer bytes = ByteBuffer.allocate(4 + hello.length + 4).order(ByteOrder.LITTLE_ENDIAN);
		bytes.putInt(hello.length).put(hello).putInt(0);
		Answer answer = postBinary("/v2/models/strings/infer",
				"""
						{"inputs": [{"name": "text", "shape": [2], "datatype": "BYTES", "parameters": {"binary_data_size": %d}}],
						 "parameters": {"binary_data_output": true}}"""
					.formatted(bytes.capacity()),
				bytes.array());
		int headerLength = Integer.parseInt(answer.header("Inference-Header-Content-Length"));
		assertThat(Arrays.copyOfRange(answer.body(), headerLength, answer.body().length)).isEqualTo(bytes.array());
	}

	static Stream<Arguments> badRequests() {
		String scale = "{\"name\": \"scale\", \"shape\": [], \"datatype\": \"FP32\", \"data\": [2]}";
		return Stream.of(
				Arguments.arguments("unknown input", "scaled", "{\"inputs\": [" + scale
						+ ", {\"name\": \"z\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}",
						List.of("no input 'z'", "[x, scale]")),
				Arguments.arguments("missing input", "scaled", "{\"inputs\": [" + scale + "]}",
						List.of("needs input 'x'", "FP32 [-1, 4]")),
				Arguments.arguments("wrong datatype", "scaled", "{\"inputs\": [" + scale
						+ ", {\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"INT64\", \"data\": [1, 2, 3, 4]}]}",
						List.of("Input 'x' of model 'scaled' is FP32, the request gives INT64")),
				Arguments.arguments("BYTES for a number input", "scaled", "{\"inputs\": [" + scale
						+ ", {\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"BYTES\", \"data\": [\"a\", \"b\", \"c\", \"d\"]}]}",
						List.of("is FP32, the request gives BYTES (strings for a number input)")),
				Arguments.arguments("shape and data disagree", "scaled", "{\"inputs\": [" + scale
						+ ", {\"name\": \"x\", \"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}",
						List.of("Input 'x' of model 'scaled'", "shape [2, 4] holds 8 elements, the request gives 4")),
				Arguments.arguments("wrong rank", "scaled", "{\"inputs\": [" + scale
						+ ", {\"name\": \"x\", \"shape\": [4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}",
						List.of("has shape [-1, 4] (rank 2), the request gives [4] (rank 1)")),
				Arguments.arguments("static dimension", "fixed",
						"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3, 16, 16], \"datatype\": \"FP32\", \"data\": "
								+ zeros(768) + "}]}",
						List.of("model 'fixed'", "[1, 3, 32, 32]", "dimension 2 must be 32")),
				Arguments.arguments("element not of the datatype", "scaled", "{\"inputs\": [" + scale
						+ ", {\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, \"2\", 3, 4]}]}",
						List.of("element 1 of \"data\" is \"2\", a FP32 input takes a number")),
				Arguments.arguments("unknown datatype", "scaled",
						"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FLOAT\", \"data\": [1, 2, 3, 4]}]}",
						List.of("unknown datatype 'FLOAT'", "FP32")),
				Arguments.arguments("unknown output", "scaled", "{\"inputs\": [" + scale
						+ ", {\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}], \"outputs\": [{\"name\": \"w\"}]}",
						List.of("no output 'w'", "[y]")),
				Arguments.arguments("datatype the Java API cannot create", "unsigned",
						"{\"inputs\": [{\"name\": \"u\", \"shape\": [1], \"datatype\": \"UINT32\", \"data\": [1]}]}",
						List.of("Input 'u' of model 'unsigned' is UINT32, which ONNX Runtime's Java API cannot create")),
				Arguments.arguments("not JSON", "scaled", "{\"inputs\": [", List.of("not JSON")),
				Arguments.arguments("no inputs", "scaled", "{\"id\": \"1\"}", List.of("no \"inputs\" array")),
				Arguments.arguments("binary size without binary data", "scaled", "{\"inputs\": [" + scale
						+ ", {\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 16}}]}",
						List.of("binary_data_size is 16 but only 0 bytes")),
				Arguments.arguments("no data", "scaled",
						"{\"inputs\": [" + scale + ", {\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\"}]}",
						List.of("Input 'x' of model 'scaled' has no \"data\"")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badRequestIs400NamingTheModelAndInput(String what, String model, String body, List<String> message)
			throws Exception {
		Answer answer = post("/v2/models/" + model + "/infer", body);
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.contentType()).startsWith("application/json");
		assertThat(answer.error()).contains(message);
		// the server still serves
		assertThat(post("/v2/models/scaled/infer", scaledRequest()).status()).isEqualTo(200);
	}

	@Test
	void binarySizesThatDoNotAddUpAre400() throws Exception {
		byte[] x = new byte[16];
		byte[] scale = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).array();
		String header = """
				{"inputs": [
				  {"name": "x", "shape": [1, 4], "datatype": "FP32", "parameters": {"binary_data_size": %d}},
				  {"name": "scale", "shape": [], "datatype": "FP32", "parameters": {"binary_data_size": 4}}]}""";
		assertThat(postBinary("/v2/models/scaled/infer", header.formatted(16), x, scale).status()).isEqualTo(200);
		Answer tooMuch = postBinary("/v2/models/scaled/infer", header.formatted(16), x, scale, new byte[3]);
		assertThat(tooMuch.status()).isEqualTo(400);
		assertThat(tooMuch.error()).contains("3 bytes of binary data that no input's binary_data_size accounts for");
		Answer tooFew = postBinary("/v2/models/scaled/infer", header.formatted(20), x, scale);
		assertThat(tooFew.status()).isEqualTo(400);
		assertThat(tooFew.error()).contains("Input 'scale' of model 'scaled'", "binary_data_size is 4 but only 0");
		Answer partial = postBinary("/v2/models/scaled/infer", header.formatted(14), Arrays.copyOf(x, 14), scale);
		assertThat(partial.status()).isEqualTo(400);
		assertThat(partial.error()).contains("14 bytes of FP32 data are no whole number of 4-byte elements");
		Answer wrongHeader = send(HttpRequest.newBuilder(uri("/v2/models/scaled/infer"))
			.header("Inference-Header-Content-Length", "100000")
			.POST(BodyPublishers.ofString(scaledRequest())));
		assertThat(wrongHeader.status()).isEqualTo(400);
		assertThat(wrongHeader.error()).contains("Inference-Header-Content-Length is 100000");
	}

	@Test
	void bodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
		// 1MB limit in this application
		byte[] large = new byte[2 * 1024 * 1024];
		Answer declared = send(
				HttpRequest.newBuilder(uri("/v2/models/scaled/infer")).POST(BodyPublishers.ofByteArray(large)));
		assertThat(declared.status()).isEqualTo(413);
		assertThat(declared.error()).contains("model 'scaled'", "2097152 bytes",
				"onnx.open-inference.rest.max-request-size");
		// chunked: no Content-Length, read up to the limit only
		Answer chunked = send(HttpRequest.newBuilder(uri("/v2/models/scaled/infer"))
			.POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(large))));
		assertThat(chunked.status()).isEqualTo(413);
		assertThat(chunked.error()).contains("more than 1048576 bytes");
	}

	@Test
	void busyModelIsRefusedWith503AndRetryAfterAtOnce() throws Exception {
		String request = """
				{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]},
				            {"name": "scale", "shape": [], "datatype": "FP32", "data": [2]}]}""";
		// its batches never fill: one run waits in the queue (size 1) until its 5s
		// timeout, the others are refused at once
		java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
		try {
			List<java.util.concurrent.Future<long[]>> calls = new ArrayList<>();
			List<Answer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
			for (int i = 0; i < 4; i++) {
				calls.add(callers.submit(() -> {
					long start = System.nanoTime();
					Answer answer = post("/v2/models/queued/infer", request);
					answers.add(answer);
					return new long[] { answer.status(), System.nanoTime() - start,
							answer.text().contains("queue-size") ? 1 : 0 };
				}));
			}
			List<long[]> results = new ArrayList<>();
			for (java.util.concurrent.Future<long[]> call : calls) {
				results.add(call.get(30, java.util.concurrent.TimeUnit.SECONDS));
			}
			assertThat(results).allSatisfy((result) -> assertThat(result[0]).isEqualTo(503));
			assertThat(results).anySatisfy((result) -> {
				assertThat(result[2]).isEqualTo(1);
				assertThat(Duration.ofNanos(result[1])).isLessThan(Duration.ofMillis(4000));
			});
			assertThat(answers).allSatisfy((answer) -> {
				assertThat(answer.header("Retry-After")).isNotNull();
				assertThat(answer.error()).contains("'queued'");
			});
			assertThat(answers)
				.anySatisfy((answer) -> assertThat(answer.error()).contains("onnx.models.queued.batching.queue-size"));
			assertThat(answers).anySatisfy((answer) -> {
				assertThat(answer.error()).contains("onnx.models.queued.batching.timeout");
				assertThat(answer.header("Retry-After")).isEqualTo("5");
			});
		}
		finally {
			callers.shutdownNow();
		}
	}

	private float[][] directScaled(float[][] x, float scale) throws Exception {
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		try (OnnxTensor xs = OnnxTensor.createTensor(environment, x);
				OnnxTensor s = OnnxTensor.createTensor(environment, scale);
				Result result = this.inference.run("scaled", Map.of("x", xs, "scale", s))) {
			return (float[][]) result.get(0).getValue();
		}
	}

	static String scaledRequest() {
		return """
				{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]},
				            {"name": "scale", "shape": [], "datatype": "FP32", "data": [2]}]}""";
	}

	private static String allInputs() {
		List<String> inputs = new ArrayList<>();
		for (String[] type : new String[][] { { "float", "FP32" }, { "float16", "FP16" }, { "double", "FP64" },
				{ "int8", "INT8" }, { "int16", "INT16" }, { "int32", "INT32" }, { "int64", "INT64" },
				{ "uint8", "UINT8" }, { "bool", "BOOL" } }) {
			String data = type[1].equals("BOOL") ? "[true, true, false, false]" : "[1, 2, 3, 4]";
			inputs.add("{\"name\": \"in_" + type[0] + "\", \"shape\": [1, 4], \"datatype\": \"" + type[1]
					+ "\", \"data\": " + data + "}");
		}
		return String.join(",", inputs);
	}

	private static String zeros(int count) {
		return "[" + String.join(",", java.util.Collections.nCopies(count, "0")) + "]";
	}

	private static float[] flatten(float[][] rows) {
		float[] flat = new float[rows.length * rows[0].length];
		for (int i = 0; i < rows.length; i++) {
			System.arraycopy(rows[i], 0, flat, i * rows[i].length, rows[i].length);
		}
		return flat;
	}

	private static float[] floats(JsonNode array) {
		float[] values = new float[array.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = array.get(i).floatValue();
		}
		return values;
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	Answer get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	Answer post(String path, String json) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(json)));
	}

	Answer postBinary(String path, String json, byte[]... parts) throws IOException, InterruptedException {
		byte[] header = json.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(header);
		for (byte[] part : parts) {
			body.writeBytes(part);
		}
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/octet-stream")
			.header("Inference-Header-Content-Length", Integer.toString(header.length))
			.POST(BodyPublishers.ofByteArray(body.toByteArray())));
	}

	private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = this.client.send(request.timeout(Duration.ofSeconds(30)).build(),
				BodyHandlers.ofByteArray());
		return new Answer(response);
	}

	record Answer(HttpResponse<byte[]> response) {

		int status() {
			return this.response.statusCode();
		}

		byte[] body() {
			return this.response.body();
		}

		String text() {
			return new String(body(), StandardCharsets.UTF_8);
		}

		JsonNode json() {
			return JSON.readTree(body());
		}

		String error() {
			return json().get("error").stringValue();
		}

		String contentType() {
			return header("Content-Type");
		}

		String header(String name) {
			return this.response.headers().firstValue(name).orElse(null);
		}

	}

}
