package io.github.onnxgpu.boot.openinference;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over HTTP from the moment the web server is up: {@code /v2/health/ready} and the
 * model's {@code /ready} answer 503 not ready while the model warms up, and 200 only once
 * it is warm, the same truth as {@code /actuator/health/readiness}; liveness is 200
 * throughout.
 */
@SpringBootTest(classes = OpenInferenceReadinessTests.WarmingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "onnx.cuda.enabled=false", "onnx.open-inference.rest.enabled=true",
				"management.endpoint.health.probes.enabled=true", "onnx.models.detector.warmup.iterations=4",
				"onnx.models.detector.warmup.shapes[0].image=1x3x384x384",
				"onnx.models.detector.warmup.shapes[1].image=1x3x512x512" })
class OpenInferenceReadinessTests {

	@Autowired
	Poller poller;

	@Autowired
	ManagedModelRegistry registry;

	@DynamicPropertySource
	static void model(DynamicPropertyRegistry registry) throws IOException {
		Path file = Files.createTempFile("detector", ".onnx");
		file.toFile().deleteOnExit();
		Files.write(file, TestModels.detector());
		registry.add("onnx.models.detector.location", () -> "file:" + file);
	}

	@Test
	void notReadyWhileWarmingReadyOnceWarm() throws Exception {
		List<Probe> probes = this.poller.awaitReady();
		Instant warm = this.registry.get("detector").warmupResult().finishedAt();
		assertThat(probes).filteredOn((probe) -> probe.status() == ModelStatus.WARMING)
			.isNotEmpty()
			.allSatisfy((probe) -> {
				assertThat(probe.server()).isEqualTo(503);
				assertThat(probe.model()).isEqualTo(503);
				assertThat(probe.live()).isEqualTo(200);
			});
		Probe ready = probes.stream().filter((probe) -> probe.server() == 200).findFirst().orElseThrow();
		assertThat(ready.at()).isAfterOrEqualTo(warm);
		assertThat(ready.model()).isEqualTo(200);
	}

	record Probe(Instant at, ModelStatus status, int server, int model, int live) {
	}

	static class Poller implements ApplicationListener<WebServerInitializedEvent> {

		private final List<Probe> probes = new CopyOnWriteArrayList<>();

		private final ApplicationContext context;

		private Thread thread;

		Poller(ApplicationContext context) {
			this.context = context;
		}

		@Override
		public void onApplicationEvent(WebServerInitializedEvent event) {
			String base = "http://localhost:" + event.getWebServer().getPort();
			this.thread = new Thread(() -> poll(base), "oip-readiness-poller");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void poll(String base) {
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
			Instant deadline = Instant.now().plusSeconds(240);
			while (Instant.now().isBefore(deadline)) {
				try {
					ModelStatus before = status();
					int server = get(client, base + "/v2/health/ready");
					int model = get(client, base + "/v2/models/detector/ready");
					int live = get(client, base + "/v2/health/live");
					ModelStatus after = status();
					this.probes.add(new Probe(Instant.now(), (before == after) ? after : null, server, model, live));
					if (server == 200) {
						return;
					}
					Thread.sleep(20);
				}
				catch (IOException ex) {
					// the server is not accepting yet
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		private static int get(HttpClient client, String uri) throws IOException, InterruptedException {
			return client.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}

		private ModelStatus status() {
			return this.context.getBean(ManagedModelRegistry.class).get("detector").status();
		}

		List<Probe> awaitReady() throws InterruptedException {
			this.thread.join(Duration.ofSeconds(250).toMillis());
			return this.probes;
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WarmingApplication {

		@Bean
		Poller poller(ApplicationContext context) {
			return new Poller(context);
		}

	}

}
