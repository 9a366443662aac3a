package io.github.onnxgpu.boot.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end over HTTP: {@code POST /actuator/onnx/{name}} reloads a model when the
 * endpoint's access allows writes, and is refused with the default read-only access.
 */
class ReloadEndToEndTests {

	@TempDir
	Path models;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void postReloadsTheModelAndTheEndpointShowsItsVersionAndHistory() throws Exception {
		Path file = this.models.resolve("m.onnx");
		replace(file, times(1));
		try (ConfigurableApplicationContext context = start(file, "management.endpoint.onnx.access=unrestricted")) {
			int port = port(context);
			DocumentContext before = JsonPath.parse(get(port, "/actuator/onnx/m").body());
			assertThat(before.read("$.version.reload", Integer.class)).isZero();
			assertThat(before.read("$.version.location", String.class)).endsWith("m.onnx");
			assertThat(before.read("$.reloads.swapped", Integer.class)).isZero();
			replace(file, times(2));
			HttpResponse<String> reload = post(port, "/actuator/onnx/m");
			assertThat(reload.statusCode()).isEqualTo(200);
			DocumentContext answer = JsonPath.parse(reload.body());
			assertThat(answer.read("$.outcome", String.class)).isEqualTo("SWAPPED");
			assertThat(answer.read("$.version.sha256", String.class)).isEqualTo(sha256(times(2)));
			DocumentContext after = JsonPath.parse(get(port, "/actuator/onnx/m").body());
			assertThat(after.read("$.version.sha256", String.class)).isEqualTo(sha256(times(2)));
			assertThat(after.read("$.version.reload", Integer.class)).isOne();
			assertThat(after.read("$.reloads.swapped", Integer.class)).isOne();
			assertThat(after.read("$.reloads.last.outcome", String.class)).isEqualTo("SWAPPED");
			assertThat(after.read("$.status", String.class)).isEqualTo("READY");
			assertThat(JsonPath.parse(get(port, "/actuator/health/readiness").body()).read("$.status", String.class))
				.isEqualTo("UP");
			// a broken file: refused, the old version serving
			Files.write(file, new byte[] { 1, 2, 3 });
			DocumentContext refused = JsonPath.parse(post(port, "/actuator/onnx/m").body());
			assertThat(refused.read("$.outcome", String.class)).isEqualTo("FAILED");
			assertThat(refused.read("$.reason", String.class)).contains("cannot load the model file");
			assertThat(refused.read("$.version.sha256", String.class)).isEqualTo(sha256(times(2)));
			assertThat(JsonPath.parse(get(port, "/actuator/metrics/onnx.model.reloads?tag=outcome:failed").body())
				.read("$.measurements[0].value", Double.class)).isEqualTo(1.0);
			// an unknown model: one answer, to a read and to a reload
			assertThat(get(port, "/actuator/onnx/nope").statusCode()).isEqualTo(404);
			assertThat(post(port, "/actuator/onnx/nope").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void postIsRefusedWhenTheEndpointIsReadOnly() throws Exception {
		Path file = this.models.resolve("m.onnx");
		replace(file, times(1));
		try (ConfigurableApplicationContext context = start(file)) {
			int port = port(context);
			assertThat(get(port, "/actuator/onnx/m").statusCode()).isEqualTo(200);
			replace(file, times(2));
			assertThat(post(port, "/actuator/onnx/m").statusCode()).isEqualTo(405);
			assertThat(JsonPath.parse(get(port, "/actuator/onnx/m").body()).read("$.version.reload", Integer.class))
				.isZero();
		}
	}

	private static ConfigurableApplicationContext start(Path file, String... more) {
		return new SpringApplicationBuilder(ReloadedApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "onnx.native.cache.enabled=false",
					"onnx.cuda.enabled=false", "onnx.models.m.location=file:" + file,
					"onnx.models.m.warmup.shapes[0].x=1x4", "onnx.warmup.iterations=3",
					"management.endpoints.web.exposure.include=onnx,health,metrics",
					"management.endpoint.health.probes.enabled=true")
			.properties(more)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(int port, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void replace(Path file, byte[] model) throws Exception {
		Path next = file.resolveSibling(file.getFileName() + ".next");
		Files.write(next, model);
		Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static byte[] times(float factor) {
		return OnnxModelBuilder.graph("times")
			.input("x", TensorType.FLOAT, "N", 4)
			.output("y", TensorType.FLOAT, "N", 4)
			.initializer("factor", new float[] { factor })
			.node("Mul", List.of("x", "factor"), List.of("y"))
			.toByteArray();
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	// no component scan: the other applications of this package stay out
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ReloadedApplication {

	}

}
