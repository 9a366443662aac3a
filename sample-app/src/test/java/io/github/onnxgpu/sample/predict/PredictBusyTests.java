package io.github.onnxgpu.sample.predict;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.github.onnxgpu.boot.internal.batching.Batcher;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.sample.SampleApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /predict} over HTTP when the detector's batching queue is full: a batch
 * never fills by waiting (max-delay 1h, two images a batch), one run may wait (queue-size
 * 1) for 5 s (timeout). A second image, sent once the first is seen queued, is refused at
 * once, the waiting one when its time is up, both as 503 with {@code Retry-After}; a
 * request of a whole batch still runs. The order comes from the queue's depth, not from
 * timing, so a loaded machine does not break it.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "onnx.models.detector.batching.enabled=true", "onnx.models.detector.batching.max-batch-size=2",
				"onnx.models.detector.batching.max-delay=1h", "onnx.models.detector.batching.queue-size=1",
				"onnx.models.detector.batching.timeout=5s", "onnx.models.detector.batching.workers=1",
				// a small warmup: this test is about the queue, not the shapes
				"onnx.models.detector.warmup.shapes[0].image=1x3x32x32", "onnx.warmup.requests=" })
class PredictBusyTests {

	private static final HttpClient client = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	int port;

	@Autowired
	ManagedModelRegistry registry;

	@Test
	void predictWhenQueueFullOrRunWaitedTooLongAnswers503WithRetryAfterAndAWholeBatchStillRuns() throws Exception {
		byte[] oneImage = tensor(new long[] { 1, 3, 32, 32 });
		CompletableFuture<HttpResponse<String>> first = send(oneImage);
		Batcher batcher = this.registry.get("detector").batcher();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (batcher.stats().queueDepth() < 1) {
			assertThat(System.nanoTime()).as("first image queued within 30 s").isLessThan(deadline);
			Thread.sleep(5);
		}
		HttpResponse<String> full = send(oneImage).get(30, TimeUnit.SECONDS);
		assertThat(first).isNotDone();
		assertThat(reason(full)).isEqualTo("QUEUE_FULL");
		List<HttpResponse<String>> refused = List.of(first.get(30, TimeUnit.SECONDS), full);
		for (HttpResponse<String> response : refused) {
			assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			// the starter suggests the queue timeout, 5 s, in whole seconds
			assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
			assertThat(response.body()).doesNotContain("Exception", "\tat ");
		}
		// the first waited and timed out; the second found the queue full
		assertThat(refused).extracting((response) -> reason(response)).containsExactly("TIMEOUT", "QUEUE_FULL");
		assertThat(refused).extracting((response) -> detail(response))
			.anySatisfy((detail) -> assertThat(detail).contains("onnx.models.detector.batching.queue-size"))
			.anySatisfy((detail) -> assertThat(detail).contains("onnx.models.detector.batching.timeout"));
		// two images fill a batch, which runs without waiting
		HttpResponse<String> batch = send(tensor(new long[] { 2, 3, 32, 32 })).get(30, TimeUnit.SECONDS);
		assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
		assertThat(JsonPath.parse(batch.body()).read("$.output.shape", List.class)).containsExactly(2, 1, 32, 32);
	}

	@Test
	void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
		assertThat(PredictExceptionHandler.retryAfterSeconds(Duration.ZERO)).isOne();
		assertThat(PredictExceptionHandler.retryAfterSeconds(Duration.ofMillis(200))).isOne();
		assertThat(PredictExceptionHandler.retryAfterSeconds(Duration.ofSeconds(1))).isOne();
		assertThat(PredictExceptionHandler.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
		assertThat(PredictExceptionHandler.retryAfterSeconds(Duration.ofSeconds(30))).isEqualTo(30);
	}

	private CompletableFuture<HttpResponse<String>> send(byte[] body) {
		return client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/predict"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofByteArray(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String reason(HttpResponse<String> response) {
		return JsonPath.parse(response.body()).read("$.reason", String.class);
	}

	private static String detail(HttpResponse<String> response) {
		DocumentContext json = JsonPath.parse(response.body());
		return json.read("$.detail", String.class);
	}

	private static byte[] tensor(long[] dims) {
		float[] data = new float[Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact))];
		Arrays.fill(data, 0.5f);
		return ("{\"dims\": " + Arrays.toString(dims) + ", \"data\": " + Arrays.toString(data) + "}").getBytes();
	}

}
