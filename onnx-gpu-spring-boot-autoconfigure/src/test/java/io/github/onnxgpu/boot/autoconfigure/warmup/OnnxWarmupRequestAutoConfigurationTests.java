package io.github.onnxgpu.boot.autoconfigure.warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.autoconfigure.WarmupRequest;
import io.github.onnxgpu.boot.internal.warmup.request.WarmupRequestResult;
import io.github.onnxgpu.boot.internal.warmup.request.WarmupRequestRunner;
import io.github.onnxgpu.boot.model.WarmupFailureAction;
import io.github.onnxgpu.boot.model.WarmupRequestMethod;
import io.github.onnxgpu.boot.test.StartupFailures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OnnxWarmupRequestAutoConfiguration}: binding and checking
 * {@code onnx.warmup.requests} at start-up.
 */
class OnnxWarmupRequestAutoConfigurationTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxWarmupRequestAutoConfiguration.class));

	@Test
	void requestsBindWithTheirDefaults() {
		OnnxProperties properties = new Binder(new MapConfigurationPropertySource(java.util.Map.of(
				"onnx.warmup.requests[0].path", "/predict?fit=native", "onnx.warmup.requests[0].method", "post",
				"onnx.warmup.requests[0].body", "classpath:/body.json", "onnx.warmup.requests[0].content-type",
				"application/json", "onnx.warmup.requests[0].headers.X-Api-Key", "k",
				"onnx.warmup.requests[0].expect-status", "200,202", "onnx.warmup.requests[1].path", "/")))
			.bind("onnx", Bindable.of(OnnxProperties.class))
			.get();
		WarmupRequest first = properties.getWarmup().getRequests().get(0);
		assertThat(first.getMethod()).isEqualTo(WarmupRequestMethod.POST);
		assertThat(first.getBody().getDescription()).contains("body.json");
		assertThat(first.getContentType()).isEqualTo("application/json");
		assertThat(first.getHeaders()).containsEntry("X-Api-Key", "k");
		assertThat(first.getExpectStatus()).containsExactly(200, 202);
		WarmupRequest second = properties.getWarmup().getRequests().get(1);
		assertThat(second.getMethod()).isEqualTo(WarmupRequestMethod.GET);
		assertThat(second.getRepeat()).isEqualTo(10);
		assertThat(second.getExpectStatus()).isEmpty();
		// unset: the runner gets the default, as every model does
		assertThat(properties.getWarmup().getOnFailure()).isEqualTo(WarmupFailureAction.FAIL);
	}

	@Test
	void runnerIsCreatedWithoutRequests() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(WarmupRequestRunner.class));
	}

	@Test
	void pathWithoutLeadingSlashFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.warmup.requests[0].path=predict").run((context) -> {
			OnnxModelException ex = StartupFailures.modelException(context);
			assertThat(ex.getProperty()).isEqualTo("onnx.warmup.requests[0].path");
			assertThat(ex.getMessage()).contains("does not start with '/'");
		});
	}

	@Test
	void missingPathFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.warmup.requests[0].repeat=2")
			.run((context) -> assertThat(StartupFailures.modelException(context).getProperty())
				.isEqualTo("onnx.warmup.requests[0].path"));
	}

	@Test
	void repeatBelowOneFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.warmup.requests[0].path=/x", "onnx.warmup.requests[0].repeat=0")
			.run((context) -> assertThat(StartupFailures.modelException(context).getProperty())
				.isEqualTo("onnx.warmup.requests[0].repeat"));
	}

	@Test
	void missingBodyFailsStartupNamingIt() {
		this.contextRunner
			.withPropertyValues("onnx.warmup.requests[0].path=/x",
					"onnx.warmup.requests[0].body=file:" + this.directory.resolve("absent.png"))
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getProperty()).isEqualTo("onnx.warmup.requests[0].body");
				assertThat(ex.getMessage()).contains("absent.png");
			});
	}

	@Test
	void bodyIsReadAtStartup() throws Exception {
		Path body = Files.writeString(this.directory.resolve("body.json"), "{\"x\":1}");
		this.contextRunner
			.withPropertyValues("onnx.warmup.requests[0].path=/x", "onnx.warmup.requests[0].method=post",
					"onnx.warmup.requests[0].repeat=2", "onnx.warmup.requests[0].body=file:" + body)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// gone before the requests are sent: what they carry was read at start-up
				Files.delete(body);
				try (RecordingServer server = new RecordingServer()) {
					List<WarmupRequestResult> results = context.getBean(WarmupRequestRunner.class).run(server.uri());
					assertThat(results).singleElement().satisfies((result) -> assertThat(result.error()).isNull());
					assertThat(server.received).containsExactly("POST /x {\"x\":1}", "POST /x {\"x\":1}");
				}
			});
	}

	@Test
	void restrictedHeaderFailsStartup() {
		this.contextRunner
			.withPropertyValues("onnx.warmup.requests[0].path=/x", "onnx.warmup.requests[0].headers.Host=example.com")
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getProperty()).isEqualTo("onnx.warmup.requests[0].headers");
				assertThat(ex.getMessage()).contains("cannot be sent").contains("Host");
			});
	}

	@Test
	void pathThatIsNoUriFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.warmup.requests[0].path=/a b?token=s3cret x").run((context) -> {
			OnnxModelException ex = StartupFailures.modelException(context);
			assertThat(ex.getProperty()).isEqualTo("onnx.warmup.requests[0].path");
			assertThat(ex.getMessage()).contains("/a b?token=******")
				.contains("Illegal character in path at index 2")
				.doesNotContain("s3cret");
			assertThat(ex.getAction()).contains("percent-encode");
		});
	}

	@Test
	void warmupDisabledSendsNoRequests() {
		this.contextRunner.withPropertyValues("onnx.warmup.enabled=false", "onnx.warmup.requests[0].path=/x")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (RecordingServer server = new RecordingServer()) {
					assertThat(context.getBean(WarmupRequestRunner.class).run(server.uri())).isEmpty();
					assertThat(server.received).isEmpty();
				}
			});
	}

	@Test
	void warmupDisabledDoesNotCheckTheRequestsEither() {
		this.contextRunner.withPropertyValues("onnx.warmup.enabled=false", "onnx.warmup.requests[0].path=nonsense")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	/**
	 * Records every request it answers, as {@code METHOD path body}.
	 */
	static final class RecordingServer implements AutoCloseable {

		final List<String> received = new CopyOnWriteArrayList<>();

		private final HttpServer server;

		RecordingServer() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			this.server.createContext("/", (exchange) -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				this.received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body);
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			});
			this.server.start();
		}

		URI uri() {
			return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

}
