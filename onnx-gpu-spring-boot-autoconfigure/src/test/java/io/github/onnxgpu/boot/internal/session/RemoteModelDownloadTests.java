package io.github.onnxgpu.boot.internal.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.ModelServer;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.StallingServer;
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for models at {@code http:} locations: streamed to a temporary file that is
 * deleted afterwards, and bounded by {@code onnx.download.*} so that a server that
 * accepts and never answers, or stops or trickles, fails start-up naming the model and
 * the property instead of hanging it. Without the bounds each of these tests would hang;
 * the timeout on separate threads turns that into a failure.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RemoteModelDownloadTests {

	@TempDir
	Path downloads;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void modelAtAServerThatNeverAnswersFailsStartupAfterTheReadTimeout() {
		try (StallingServer server = StallingServer.silent()) {
			long start = System.nanoTime();
			this.contextRunner
				.withPropertyValues("onnx.models.classifier.location=" + server.url("/cls.onnx"),
						"onnx.download.read-timeout=1s", "onnx.download.directory=" + this.downloads)
				.run((context) -> {
					OnnxModelException ex = StartupFailures.modelException(context);
					assertThat(ex.getModelName()).isEqualTo("classifier");
					assertThat(ex.getProperty()).isEqualTo("onnx.download.read-timeout");
					assertThat(ex.getMessage()).contains("the model file " + server.url("/cls.onnx"),
							"got no answer from the server within 1s (0 bytes received)");
					assertThat(ex.getAction()).contains("raise onnx.download.read-timeout");
				});
			report("read timeout 1s, silent server", start);
			assertThat(server.accepted()).isEqualTo(1);
			assertThat(this.downloads).isEmptyDirectory();
		}
	}

	@Test
	void modelWhoseServerStopsSendingFailsStartupAfterTheReadTimeout() {
		try (StallingServer server = StallingServer.stopsAfter(1_000_000, 10)) {
			long start = System.nanoTime();
			this.contextRunner
				.withPropertyValues("onnx.models.classifier.location=" + server.url("/cls.onnx"),
						"onnx.download.read-timeout=1s", "onnx.download.directory=" + this.downloads)
				.run((context) -> {
					OnnxModelException ex = StartupFailures.modelException(context);
					assertThat(ex.getProperty()).isEqualTo("onnx.download.read-timeout");
					assertThat(ex.getMessage())
						.contains("got no data from the server for 1s (10 of 1000000 bytes received)");
				});
			report("read timeout 1s, server silent after 10 bytes", start);
			assertThat(this.downloads).isEmptyDirectory();
		}
	}

	@Test
	void modelThatTricklesFailsStartupAfterTheOverallBound() {
		// a byte every 100 ms: never silent for the read timeout, never done (the overall
		// bound leaves time for the HTTP client's first use on a loaded host)
		try (StallingServer server = StallingServer.trickles(1_000_000, 100)) {
			long start = System.nanoTime();
			this.contextRunner
				.withPropertyValues("onnx.models.classifier.location=" + server.url("/cls.onnx"),
						"onnx.download.read-timeout=2s", "onnx.download.timeout=6s",
						"onnx.download.directory=" + this.downloads)
				.run((context) -> {
					OnnxModelException ex = StartupFailures.modelException(context);
					assertThat(ex.getModelName()).isEqualTo("classifier");
					assertThat(ex.getProperty()).isEqualTo("onnx.download.timeout");
					assertThat(ex.getMessage()).contains("was not downloaded within 6s (")
						.contains(" of 1000000 bytes received)")
						.doesNotContain("(0 of");
				});
			report("overall bound 6s, trickling server", start);
			assertThat(this.downloads).isEmptyDirectory();
		}
	}

	@Test
	void modelIsStreamedToATemporaryFileDeletedOnceTheSessionExists() throws Exception {
		byte[] model = TestModels.convNet();
		try (ModelServer server = ModelServer.start().serve("/models/det.onnx", model)) {
			this.contextRunner
				.withPropertyValues("onnx.models.detector.location=" + server.url(null, "/models/det.onnx"),
						"onnx.models.detector.sha256=" + sha256(model),
						"onnx.models.detector.warmup.shapes[0].x=1x3x8x8", "onnx.download.directory=" + this.downloads)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					ModelFiles.publishReady(context.getSourceApplicationContext());
					assertThat(context.getBean(ManagedModelRegistry.class).get("detector").status())
						.isEqualTo(ModelStatus.READY);
					assertThat(this.downloads).isEmptyDirectory();
				});
		}
	}

	@Test
	void downloadFolderThatIsAFileFailsStartupNamingTheProperty() throws IOException {
		Path notAFolder = Files.writeString(this.downloads.resolve("file"), "mine");
		try (ModelServer server = ModelServer.start().serve("/models/det.onnx", TestModels.convNet())) {
			this.contextRunner
				.withPropertyValues("onnx.models.detector.location=" + server.url(null, "/models/det.onnx"),
						"onnx.download.directory=" + notAFolder)
				.run((context) -> {
					OnnxModelException ex = StartupFailures.modelException(context);
					assertThat(ex.getProperty()).isEqualTo("onnx.download.directory");
					assertThat(ex.getMessage()).contains("cannot be written to " + notAFolder);
				});
		}
		assertThat(notAFolder).hasContent("mine");
	}

	@Test
	void nonPositiveBoundFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=http://127.0.0.1:9/m.onnx",
					"onnx.download.read-timeout=0s")
			.run((context) -> assertThat(StartupFailures.modelException(context).getProperty())
				.isEqualTo("onnx.download.read-timeout"));
	}

	private static void report(String what, long start) {
		System.out.printf("%s: start-up failed after %d ms%n", what,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
