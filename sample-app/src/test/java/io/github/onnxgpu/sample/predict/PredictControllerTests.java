package io.github.onnxgpu.sample.predict;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import ai.onnxruntime.OnnxTensor;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.github.onnxgpu.boot.model.OnnxBinding;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.sample.SampleApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /predict} over HTTP on the sample app as configured, with its generated
 * detector warmed at the sample's shapes.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class PredictControllerTests {

	private static final HttpClient client = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	int port;

	@Autowired
	OnnxInference inference;

	@Test
	void predictWhenPngAnswersSummaryAtClosestWarmedShape() throws Exception {
		HttpResponse<String> response = post("/predict", "image/png", image(640, 384, "png"));
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.model", String.class)).isEqualTo("detector");
		assertThat(json.read("$.provider", String.class)).isEqualTo("CPU");
		assertThat(json.read("$.input.name", String.class)).isEqualTo("image");
		assertThat(json.read("$.input.shape", List.class)).containsExactly(1, 3, 384, 640);
		assertThat(json.read("$.input.warmedShape", Boolean.class)).isTrue();
		assertThat(json.read("$.input.image.format", String.class)).isEqualTo("png");
		assertThat(json.read("$.input.image.width", Integer.class)).isEqualTo(640);
		assertThat(json.read("$.input.image.fit", String.class)).isEqualTo("warmed");
		assertThat(json.read("$.output.name", String.class)).isEqualTo("probability");
		assertThat(json.read("$.output.shape", List.class)).containsExactly(1, 1, 384, 640);
		double min = json.read("$.output.min", Double.class);
		double mean = json.read("$.output.mean", Double.class);
		double max = json.read("$.output.max", Double.class);
		assertThat(min).isBetween(0.0, mean);
		assertThat(max).isBetween(mean, 1.0);
		assertThat(json.read("$.masks[0].grid", List.class)).hasSize(8);
		assertThat(json.read("$.masks[0].grid[0]", String.class)).matches("[#.]{8}");
		assertThat(json.read("$.inferenceMillis", Double.class)).isPositive();
	}

	@Test
	void warmupRequestsPostedTheBundledImagesBeforeReadiness() throws Exception {
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/actuator/onnx")).build(),
				HttpResponse.BodyHandlers.ofString());
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.requests[*].path", List.class)).containsExactly("/predict", "/predict", "/predict");
		assertThat(json.read("$.requests[*].error", List.class)).containsOnlyNulls();
		List<Integer> statuses = json.read("$.requests[*].statuses[*]");
		assertThat(statuses).hasSize(15).containsOnly(200);
	}

	@Test
	void predictWhenJpegWithNativeFitRoundsSidesToMultiplesOf16() throws Exception {
		HttpResponse<String> response = post("/predict?fit=native", "image/jpeg", image(100, 50, "jpeg"));
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.input.shape", List.class)).containsExactly(1, 3, 48, 96);
		assertThat(json.read("$.input.warmedShape", Boolean.class)).isFalse();
		assertThat(json.read("$.input.image.format", String.class)).isEqualTo("jpeg");
		assertThat(json.read("$.output.shape", List.class)).containsExactly(1, 1, 48, 96);
	}

	@Test
	void predictWhenNativeFitOfLargeImageScalesItDownToMaxInferenceSide() throws Exception {
		HttpResponse<String> response = post("/predict?fit=native", "image/png", image(2000, 1000, "png"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(response.body()).read("$.input.shape", List.class)).containsExactly(1, 3, 512, 1024);
	}

	@Test
	void predictWhenJsonTensorAnswersSummaryPerBatchItem() throws Exception {
		HttpResponse<String> response = post("/predict", "application/json",
				tensor(new long[] { 2, 3, 32, 48 }, 2 * 3 * 32 * 48));
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.input.shape", List.class)).containsExactly(2, 3, 32, 48);
		assertThat(json.read("$.input", Map.class)).doesNotContainKey("image");
		assertThat(json.read("$.output.shape", List.class)).containsExactly(2, 1, 32, 48);
		assertThat(json.read("$.masks", List.class)).hasSize(2);
	}

	@Test
	void predictWhenJsonTensorHasWarmedShapeSaysSo() throws Exception {
		HttpResponse<String> response = post("/predict", "application/json",
				tensor(new long[] { 1, 3, 256, 256 }, 3 * 256 * 256));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(response.body()).read("$.input.warmedShape", Boolean.class)).isTrue();
	}

	@Test
	void predictReusesBindingBuffersWithoutCarryingValuesOverBetweenRequests() throws Exception {
		long[] dims = { 1, 3, 256, 256 };
		OnnxTensor pooled;
		try (OnnxBinding binding = this.inference.binding("detector", Map.of("image", dims))) {
			pooled = binding.input("image").tensor();
		}
		String first = outputOf(post("/predict", "application/json", tensor(dims, 3 * 256 * 256, 0.5f)));
		String other = outputOf(post("/predict", "application/json", tensor(dims, 3 * 256 * 256, 0.9f)));
		String again = outputOf(post("/predict", "application/json", tensor(dims, 3 * 256 * 256, 0.5f)));
		assertThat(other).isNotEqualTo(first);
		assertThat(again).isEqualTo(first);
		// the requests wrote into the pooled binding's own input: the same tensor,
		// holding the last request's values
		try (OnnxBinding binding = this.inference.binding("detector", Map.of("image", dims))) {
			assertThat(binding.input("image").tensor()).isSameAs(pooled);
			FloatBuffer input = binding.input("image").asFloatBuffer();
			assertThat(input.remaining()).isEqualTo(3 * 256 * 256);
			while (input.hasRemaining()) {
				assertThat(input.get()).isEqualTo(0.5f);
			}
		}
		// at the warmed shape ONNX Runtime writes the output into the binding's own
		// buffer
		try (OnnxBinding binding = this.inference.binding("detector", Map.of("image", dims))) {
			assertThat(binding.pinnedOutputs()).containsExactly("probability");
		}
	}

	@Test
	void predictRunsAreTimedAsOnnxInference() throws Exception {
		double before = inferenceCount();
		assertThat(post("/predict", "image/png", image(64, 64, "png")).statusCode()).isEqualTo(200);
		assertThat(inferenceCount()).isEqualTo(before + 1);
	}

	@Test
	void predictWhenContentTypeUnsupportedAnswers415() throws Exception {
		assertProblem(post("/predict", "text/plain", "hello".getBytes()), 415,
				"Content-Type text/plain is not supported; send one of application/json, image/jpeg, image/png");
	}

	@Test
	void predictWhenContentTypeMissingAnswers415() throws Exception {
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(uri("/predict")).POST(BodyPublishers.ofByteArray(new byte[] { 1 })).build(),
				HttpResponse.BodyHandlers.ofString());
		assertProblem(response, 415, "send one of application/json, image/jpeg, image/png");
	}

	@Test
	void predictWhenBodyEmptyAnswers400() throws Exception {
		assertProblem(post("/predict", "image/png", new byte[0]), 400, "The request body is empty");
		assertProblem(post("/predict", "application/json", new byte[0]), 400, "The request body is empty");
	}

	@Test
	void predictWhenBodyIsNotAnImageAnswers400() throws Exception {
		assertProblem(post("/predict", "image/jpeg", "not an image".getBytes()), 400,
				"The body is not a readable PNG or JPEG image");
	}

	@Test
	void predictWhenImageTooLargeAnswers413() throws Exception {
		// a few kilobytes on the wire, 5000 pixels wide once decoded
		assertProblem(post("/predict", "image/png", image(5000, 8, "png")), 413,
				"The image is 5000x8 px; the largest accepted width or height is 4096 px");
	}

	@Test
	void predictWhenBodyTooLargeAnswers413() throws Exception {
		assertProblem(post("/predict", "image/png", new byte[9 * 1024 * 1024]), 413,
				"The request body is larger than 8 MB (sample.predict.max-body-size)");
	}

	@Test
	void predictWhenDimsDoNotFitModelAnswers400() throws Exception {
		assertProblem(post("/predict", "application/json", tensor(new long[] { 1, 4, 16, 16 }, 4 * 16 * 16)), 400,
				"dims [1, 4, 16, 16] set dimension 1 to 4 but input 'image' fixes it at 3: [N, 3, H, W]");
		assertProblem(post("/predict", "application/json", tensor(new long[] { 3, 16, 16 }, 3 * 16 * 16)), 400,
				"dims [3, 16, 16] have 3 dimensions but input 'image' takes 4: [N, 3, H, W]");
		assertProblem(post("/predict", "application/json", tensor(new long[] { 1, 3, 20, 16 }, 3 * 20 * 16)), 400,
				"the model needs multiples of 16, such as 32x16");
		assertProblem(post("/predict", "application/json", tensor(new long[] { 0, 3, 16, 16 }, 0)), 400,
				"must all be positive");
	}

	@Test
	void predictWhenDimsOverLimitsAnswers413() throws Exception {
		assertProblem(post("/predict", "application/json", tensor(new long[] { 5, 3, 16, 16 }, 5 * 3 * 16 * 16)), 413,
				"A batch of 5 is larger than the largest accepted, 4 (sample.predict.max-batch)");
		assertProblem(post("/predict", "application/json", "{\"dims\": [1, 3, 2048, 16], \"data\": []}".getBytes()),
				413, "exceed the largest accepted side, 1024");
	}

	@Test
	void predictWhenDataDoesNotMatchDimsAnswers400() throws Exception {
		assertProblem(post("/predict", "application/json", tensor(new long[] { 1, 3, 16, 16 }, 10)), 400,
				"'data' has 10 values but dims [1, 3, 16, 16] need 768");
		assertProblem(post("/predict", "application/json", "{\"dims\": [1, 3, 16, 16]}".getBytes()), 400,
				"Send both 'dims' and 'data'");
	}

	@Test
	void predictWhenJsonMalformedAnswers400() throws Exception {
		assertProblem(post("/predict", "application/json", "{\"dims\": [1, 3".getBytes()), 400,
				"The body is not a JSON tensor");
		assertProblem(post("/predict", "application/json", "{\"dims\": \"big\", \"data\": []}".getBytes()), 400,
				"The body is not a JSON tensor");
	}

	@Test
	void predictWhenJsonTensorHasNonFiniteValuesAnswers400NamingTheValue() throws Exception {
		assertNotFinite(5, "\"NaN\"");
		assertNotFinite(0, "\"Infinity\"");
		assertNotFinite(767, "\"-Infinity\"");
		assertNotFinite(42, "1e400");
		// finite as a double, beyond the float range
		assertNotFinite(7, "-3.5e38");
	}

	@Test
	void predictWhenJsonTensorOverflowsTheModelAnswers400RatherThanNaNStatistics() throws Exception {
		float[] data = new float[768];
		for (int i = 0; i < data.length; i++) {
			// finite, but the model's sums reach Infinity - Infinity
			data[i] = ((i % 2 == 0) ? 1 : -1) * Float.MAX_VALUE;
		}
		assertProblem(
				post("/predict", "application/json",
						("{\"dims\": [1, 3, 16, 16], \"data\": " + Arrays.toString(data) + "}").getBytes()),
				400, "The output 'probability' is not finite (NaN or Infinity) for this input");
	}

	@Test
	void predictWhenFitUnknownAnswers400() throws Exception {
		assertProblem(post("/predict?fit=stretch", "image/png", image(32, 32, "png")), 400,
				"Unknown fit 'stretch'; use one of warmed, native");
	}

	private void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.status", Integer.class)).isEqualTo(status);
		assertThat(json.read("$.detail", String.class)).contains(detail);
		assertThat(response.body()).doesNotContain("Exception", "\tat ");
	}

	private void assertNotFinite(int index, String json) throws Exception {
		String[] data = new String[768];
		Arrays.fill(data, "0.5");
		data[index] = json;
		byte[] body = ("{\"dims\": [1, 3, 16, 16], \"data\": [" + String.join(", ", data) + "]}").getBytes();
		assertProblem(post("/predict", "application/json", body), 400, "'data[" + index + "]' is not a finite float");
	}

	private double inferenceCount() throws IOException, InterruptedException {
		HttpResponse<String> response = client
			.send(HttpRequest.newBuilder(uri("/actuator/metrics/onnx.inference?tag=model:detector&tag=outcome:success"))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() == 404) {
			// no run yet: the timer is registered on the first one
			return 0;
		}
		List<Double> counts = JsonPath.parse(response.body()).read("$.measurements[?(@.statistic == 'COUNT')].value");
		return counts.get(0);
	}

	private HttpResponse<String> post(String path, String contentType, byte[] body)
			throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", contentType)
			.POST(BodyPublishers.ofByteArray(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	static byte[] image(int width, int height, String format) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(Color.WHITE);
		graphics.fillRect(0, 0, width, height);
		graphics.setColor(Color.BLACK);
		graphics.fillOval(width / 4, height / 4, width / 2, height / 2);
		graphics.dispose();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ImageIO.write(image, format, bytes);
		return bytes.toByteArray();
	}

	private static String outputOf(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(response.body());
		return json.read("$.output", Map.class).toString() + json.read("$.masks", List.class);
	}

	private static byte[] tensor(long[] dims, int values) {
		return tensor(dims, values, 0.5f);
	}

	private static byte[] tensor(long[] dims, int values, float value) {
		float[] data = new float[values];
		Arrays.fill(data, value);
		return ("{\"dims\": " + Arrays.toString(dims) + ", \"data\": " + Arrays.toString(data) + "}").getBytes();
	}

}
