package io.github.onnxgpu.boot.autoconfigure.warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.request.WarmupRequestRunner;
import io.github.onnxgpu.boot.test.ModelServer;
import io.github.onnxgpu.boot.test.StallingServer;
import io.github.onnxgpu.boot.test.StartupFailures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for warm-up request bodies at {@code http:} locations: read under the
 * {@code onnx.download.*} bounds, so that a server that never answers fails start-up
 * naming the request and the property instead of hanging it (without the bounds the test
 * hangs, and the timeout on a separate thread fails it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WarmupRequestBodyDownloadTests {

	@TempDir
	Path downloads;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxWarmupRequestAutoConfiguration.class))
		.withPropertyValues("onnx.warmup.requests[0].path=/predict", "onnx.warmup.requests[0].method=post");

	@Test
	void bodyAtAServerThatNeverAnswersFailsStartupAfterTheReadTimeout() {
		try (StallingServer server = StallingServer.silent()) {
			long start = System.nanoTime();
			this.contextRunner
				.withPropertyValues("onnx.warmup.requests[0].body=" + server.url("/body.json"),
						"onnx.download.read-timeout=1s", "onnx.download.directory=" + this.downloads)
				.run((context) -> {
					OnnxModelException ex = StartupFailures.modelException(context);
					assertThat(ex.getProperty()).isEqualTo("onnx.download.read-timeout");
					assertThat(ex.getMessage()).contains("the body " + server.url("/body.json")
							+ " of warm-up request 0 got no answer from the " + "server within 1s");
				});
			System.out.printf("read timeout 1s, silent server for a request body: start-up failed after %d ms%n",
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
			assertThat(server.accepted()).isEqualTo(1);
			assertThat(this.downloads).isEmptyDirectory();
		}
	}

	@Test
	void bodyAtAServerIsReadAndItsTemporaryFileDeleted() {
		try (ModelServer server = ModelServer.start().serve("/body.json", "{\"x\":1}".getBytes())) {
			this.contextRunner
				.withPropertyValues("onnx.warmup.requests[0].body=" + server.url("user:secret", "/body.json"),
						"onnx.download.directory=" + this.downloads)
				.run((context) -> {
					assertThat(context).hasNotFailed().hasSingleBean(WarmupRequestRunner.class);
					assertThat(this.downloads).isEmptyDirectory();
				});
		}
	}

	@Test
	void missingBodyAtAServerFailsStartupWithTheCredentialsMasked() {
		try (ModelServer server = ModelServer.start()) {
			this.contextRunner
				.withPropertyValues("onnx.warmup.requests[0].body=" + server.url("user:secret", "/no.json"))
				.run((context) -> {
					OnnxModelException ex = StartupFailures.modelException(context);
					assertThat(ex.getProperty()).isEqualTo("onnx.warmup.requests[0].body");
					assertThat(ex.getMessage()).contains("does not exist (HTTP 404)", "user:******@")
						.doesNotContain("secret");
				});
		}
	}

}
