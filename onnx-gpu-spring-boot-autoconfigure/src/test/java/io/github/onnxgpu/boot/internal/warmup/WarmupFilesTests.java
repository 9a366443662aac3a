package io.github.onnxgpu.boot.internal.warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.session.OrtEnvironments;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyArray;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyFiles;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link WarmupFiles}: {@code .npy} samples against a real model.
 */
class WarmupFilesTests {

	@TempDir
	Path directory;

	private final DefaultResourceLoader resourceLoader = new DefaultResourceLoader();

	@Test
	void fileSampleRunsThroughTheModelWithItsShape() throws Exception {
		String location = write("page.npy", NpyFiles.float32Filled(0.5f, 1, 3, 16, 24));
		try (OrtSession session = session()) {
			NpyArray array = WarmupFiles.read(this.resourceLoader, "detector", sample(0), "x", location);
			WarmupFiles.checkType("detector", sample(0), "x", (TensorInfo) session.getInputInfo().get("x").getInfo(),
					array);
			assertThat(array.shape()).containsExactly(1, 3, 16, 24);
			try (OnnxTensor tensor = WarmupFiles.tensor(OrtEnvironments.get(), array);
					OrtSession.Result result = session.run(Map.of("x", tensor))) {
				assertThat(tensor.getInfo().getShape()).containsExactly(1, 3, 16, 24);
				assertThat(tensor.getFloatBuffer().get(100)).isEqualTo(0.5f);
				assertThat(((TensorInfo) result.get(0).getInfo()).getShape()).containsExactly(1, 1, 16, 24);
			}
			// the array is reusable: every iteration of the sample makes a tensor from it
			try (OnnxTensor again = WarmupFiles.tensor(OrtEnvironments.get(), array)) {
				assertThat(again.getFloatBuffer().get(0)).isEqualTo(0.5f);
			}
		}
	}

	@Test
	void fileOfAnotherElementTypeFailsNamingPropertyAndNumpyType() throws Exception {
		String location = write("ids.npy", NpyFiles.npy(1,
				"{'descr': '<i8', 'fortran_order': False, 'shape': (1, 3, 8, 8), }", new byte[8 * 3 * 64]));
		try (OrtSession session = session()) {
			NpyArray array = WarmupFiles.read(this.resourceLoader, "detector", sample(1), "x", location);
			TensorInfo input = (TensorInfo) session.getInputInfo().get("x").getInfo();
			assertThatExceptionOfType(OnnxModelException.class)
				.isThrownBy(() -> WarmupFiles.checkType("detector", sample(1), "x", input, array))
				.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.warmup.samples[1].x"))
				.withMessageContaining("INT64 elements but input 'x' takes FLOAT")
				.withMessageContaining("astype(numpy.float32)");
		}
	}

	@Test
	void missingFileFailsNamingProperty() {
		assertThatExceptionOfType(OnnxModelException.class)
			.isThrownBy(() -> WarmupFiles.read(this.resourceLoader, "detector", sample(0), "x",
					"file:" + this.directory.resolve("absent.npy")))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.warmup.samples[0].x"))
			.withMessageContaining("absent.npy does not exist");
	}

	@Test
	void unreadableFileFailsNamingPropertyAndFile() throws IOException {
		String location = write("fortran.npy",
				NpyFiles.npy(2, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new byte[24]));
		assertThatExceptionOfType(OnnxModelException.class)
			.isThrownBy(() -> WarmupFiles.read(this.resourceLoader, "detector", sample(0), "x", location))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.warmup.samples[0].x"))
			.withMessageContaining("fortran.npy")
			.withMessageContaining("Fortran order");
	}

	private static String sample(int entry) {
		return "onnx.models.detector.warmup.samples[" + entry + "].x";
	}

	private OrtSession session() throws Exception {
		OrtEnvironment environment = OrtEnvironments.get();
		return environment.createSession(TestModels.convNet(), new OrtSession.SessionOptions());
	}

	private String write(String name, byte[] bytes) throws IOException {
		Path file = this.directory.resolve(name);
		Files.write(file, bytes);
		return "file:" + file;
	}

}
