package io.github.onnxgpu.actuatorsecurity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload through {@code POST /actuator/onnx/{name}} with Spring Security on the class
 * path, over HTTP: Spring Boot's default chain refuses it even with valid credentials (no
 * CSRF token), the chain of docs/reload.md ({@link ActuatorSecurityConfiguration}, the
 * same code) accepts it from an operator and refuses it without credentials. Runs in the
 * sample's {@code actuator-security} Surefire execution, the only one with Spring
 * Security on its class path (on the others' it would secure every test's application).
 */
@EnabledIf(value = "securityOnClassPath",
		disabledReason = "runs in the actuator-security execution, " + "the one with Spring Security on the class path")
class ReloadSecurityTests {

	private static final String OPERATOR = "operator:s3cret";

	private final HttpClient client = HttpClient.newHttpClient();

	static boolean securityOnClassPath() {
		return ClassUtils.isPresent("org.springframework.security.web.SecurityFilterChain", null);
	}

	@Test
	void documentedChainLetsAnOperatorReloadAndRefusesAnonymousCallers() throws Exception {
		try (ConfigurableApplicationContext context = start(ReloadedApplication.class,
				ActuatorSecurityConfiguration.class)) {
			int port = port(context);
			HttpResponse<String> reload = post(port, OPERATOR);
			assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
			assertThat(JsonPath.parse(reload.body()).read("$.outcome", String.class)).isEqualTo("SWAPPED");
			assertThat(post(port, null).statusCode()).isEqualTo(401);
			assertThat(post(port, "operator:wrong").statusCode()).isEqualTo(401);
			assertThat(get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
			assertThat(get(port, "/actuator/onnx/detector").statusCode()).isEqualTo(401);
		}
	}

	@Test
	void defaultChainRefusesAnAuthenticatedReload() throws Exception {
		try (ConfigurableApplicationContext context = start(ReloadedApplication.class)) {
			int port = port(context);
			// refused as if the credentials were wrong, though a GET with them is let in
			assertThat(post(port, OPERATOR).statusCode()).isEqualTo(401);
			HttpResponse<String> model = get(port, "/actuator/onnx/detector", OPERATOR);
			assertThat(model.statusCode()).isEqualTo(200);
			assertThat(JsonPath.parse(model.body()).read("$.reloads.swapped", Integer.class)).isZero();
		}
	}

	@Test
	void docsShowThisChain() throws Exception {
		Path root = Path.of(System.getProperty("sample.project-root"));
		String source = Files.readString(root
			.resolve("sample-app/src/test/java/io/github/onnxgpu/actuatorsecurity/ActuatorSecurityConfiguration.java"));
		String code = source.substring(source.indexOf("import "));
		Matcher snippet = Pattern.compile("```java\n(import org.springframework.boot.security.*?)```", Pattern.DOTALL)
			.matcher(Files.readString(root.resolve("docs/reload.md")));
		assertThat(snippet.find()).as("a java block with the chain in docs/reload.md").isTrue();
		assertThat(snippet.group(1)).isEqualTo(code);
	}

	private static ConfigurableApplicationContext start(Class<?>... sources) {
		return new SpringApplicationBuilder(sources)
			.properties("spring.config.name=reload-security-tests", "server.port=0", "spring.main.banner-mode=off",
					"onnx.models.detector.location=classpath:/models/detector.onnx",
					"onnx.models.detector.warmup.shapes[0].image=1x3x256x256", "onnx.warmup.iterations=1",
					"onnx.native.cache.enabled=false", "onnx.cuda.enabled=false",
					"management.endpoints.web.exposure.include=health,onnx",
					"management.endpoint.onnx.access=unrestricted", "management.endpoint.health.probes.enabled=true",
					"spring.security.user.name=operator", "spring.security.user.password=s3cret",
					"spring.security.user.roles=OPERATOR")
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return get(port, path, null);
	}

	private HttpResponse<String> get(int port, String path, String credentials) throws Exception {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)), credentials);
	}

	private HttpResponse<String> post(int port, String credentials) throws Exception {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/onnx/detector"))
			.POST(HttpRequest.BodyPublishers.noBody()), credentials);
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String credentials) throws Exception {
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The sample's generated detector without the sample's controllers or configuration
	 * ({@code spring.config.name} names no file); scans nothing.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ReloadedApplication {

	}

}
