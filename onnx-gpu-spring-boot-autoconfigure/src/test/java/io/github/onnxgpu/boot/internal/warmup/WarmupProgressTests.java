package io.github.onnxgpu.boot.internal.warmup;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.test.EndpointJson;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a model's warmup shows its progress: a line before each sample runs, and the
 * sample running on the actuator endpoint.
 */
@ExtendWith(OutputCaptureExtension.class)
class WarmupProgressTests {

	@TempDir
	Path models;

	@Test
	void endpointShowsTheSampleRunningAndALineNamesEachSampleBeforeItRuns(CapturedOutput output) {
		OnnxContextRunners.cpuOnly()
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.warmup.iterations=30", "onnx.models.detector.warmup.shapes[0].x=1x3x512x512",
					"onnx.models.detector.warmup.shapes[1].x=1x3x32x32")
			.run((context) -> {
				OnnxEndpoint endpoint = new OnnxEndpoint(context, false);
				List<JsonNode> seen = new CopyOnWriteArrayList<>();
				AtomicBoolean done = new AtomicBoolean();
				Thread watcher = new Thread(() -> {
					while (!done.get()) {
						JsonNode warming = warming(endpoint);
						if (!warming.isMissingNode() && !warming.isNull() && seen.isEmpty()) {
							seen.add(warming);
						}
					}
				});
				watcher.start();
				try {
					ModelFiles.publishReady(context);
				}
				finally {
					done.set(true);
					watcher.join();
				}
				assertThat(seen).singleElement().satisfies((warming) -> {
					assertThat(warming.path("sample").asInt(-1)).isZero();
					assertThat(EndpointJson.longs(warming.path("inputs").path("x"))).containsExactly(1L, 3L, 512L,
							512L);
					assertThat(warming.path("since").isMissingNode() || warming.path("since").isNull()).isFalse();
				});
				// none once the warmup is over
				assertThat(warming(endpoint).isMissingNode() || warming(endpoint).isNull()).isTrue();
			});
		String log = output.getOut();
		int first = log.indexOf("ONNX model 'detector' warming sample 0 {x=1x3x512x512}, 3.0 MB of input");
		int second = log.indexOf("ONNX model 'detector' warming sample 1 {x=1x3x32x32}, 12.0 KB of input");
		int warmed = log.indexOf("ONNX model 'detector' warmed up");
		assertThat(first).isNotNegative().isLessThan(second);
		assertThat(second).isLessThan(warmed);
	}

	private static JsonNode warming(OnnxEndpoint endpoint) {
		return EndpointJson.json(endpoint.onnx()).path("models").path("detector").path("warming");
	}

}
