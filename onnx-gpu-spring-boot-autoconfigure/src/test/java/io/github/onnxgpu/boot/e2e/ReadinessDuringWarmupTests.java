package io.github.onnxgpu.boot.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.springframework.beans.factory.annotation.Value;
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

import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end over HTTP: {@code /actuator/health/readiness} refuses traffic while the
 * models warm up and accepts it only once they are warm.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "onnx.cuda.enabled=false", "management.endpoint.health.probes.enabled=true",
				"onnx.models.detector.warmup.iterations=4", "onnx.models.detector.warmup.shapes[0].image=1x3x384x384",
				"onnx.models.detector.warmup.shapes[1].image=1x3x512x512" })
class ReadinessDuringWarmupTests {

	@Autowired
	ReadinessPoller poller;

	@Autowired
	ManagedModelRegistry registry;

	@Value("${local.server.port}")
	int port;

	@DynamicPropertySource
	static void model(DynamicPropertyRegistry registry) throws IOException {
		Path file = Files.createTempFile("detector", ".onnx");
		file.toFile().deleteOnExit();
		Files.write(file, TestModels.detector());
		registry.add("onnx.models.detector.location", () -> "file:" + file);
	}

	@Test
	void readinessRefusesTrafficDuringWarmupAndAcceptsItAfter() throws Exception {
		ManagedModel model = this.registry.get("detector");
		assertThat(model.status()).isEqualTo(ModelStatus.READY);
		List<Probe> probes = this.poller.awaitAccepting();
		Instant warm = model.warmupResult().finishedAt();
		assertThat(probes).filteredOn((probe) -> probe.modelStatus() == ModelStatus.WARMING)
			.isNotEmpty()
			.allSatisfy((probe) -> assertThat(probe.httpStatus()).isEqualTo(503));
		Probe firstAccepted = probes.stream().filter((probe) -> probe.httpStatus() == 200).findFirst().orElseThrow();
		assertThat(firstAccepted.at()).isAfterOrEqualTo(warm);
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	record Probe(Instant at, int httpStatus, ModelStatus modelStatus) {
	}

	/**
	 * Polls readiness over HTTP from the moment the web server is up, recording what it
	 * answered and where the model was at that time.
	 */
	static class ReadinessPoller implements ApplicationListener<WebServerInitializedEvent> {

		private final List<Probe> probes = new CopyOnWriteArrayList<>();

		private final ApplicationContext context;

		private Thread thread;

		ReadinessPoller(ApplicationContext context) {
			this.context = context;
		}

		@Override
		public void onApplicationEvent(WebServerInitializedEvent event) {
			URI readiness = URI
				.create("http://localhost:" + event.getWebServer().getPort() + "/actuator/health/readiness");
			this.thread = new Thread(() -> poll(readiness), "readiness-poller");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void poll(URI readiness) {
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
			Instant deadline = Instant.now().plusSeconds(120);
			while (Instant.now().isBefore(deadline)) {
				try {
					ModelStatus before = modelStatus();
					int status = client
						.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.discarding())
						.statusCode();
					ModelStatus after = modelStatus();
					// only attribute the answer to a state that held for the whole
					// request
					this.probes.add(new Probe(Instant.now(), status, (before == after) ? after : null));
					if (status == 200) {
						return;
					}
					Thread.sleep(20);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		private ModelStatus modelStatus() {
			return this.context.getBean(ManagedModelRegistry.class).get("detector").status();
		}

		List<Probe> awaitAccepting() throws InterruptedException {
			this.thread.join(Duration.ofSeconds(130).toMillis());
			return this.probes;
		}

	}

	// no component scanning: this package holds applications that other tests start in
	// JVMs of their own (ShutdownProcess would load the CPU of this test JVM)
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WarmupApplication {

		@Bean
		ReadinessPoller readinessPoller(ApplicationContext context) {
			return new ReadinessPoller(context);
		}

	}

}
