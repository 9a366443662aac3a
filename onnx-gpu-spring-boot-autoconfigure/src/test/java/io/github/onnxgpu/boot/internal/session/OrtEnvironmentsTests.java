package io.github.onnxgpu.boot.internal.session;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.onnxgpu.boot.model.OrtLogLevel;
import io.github.onnxgpu.boot.test.JavaProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OrtEnvironments}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OrtEnvironmentsTests {

	@TempDir
	Path work;

	@Test
	void environmentIsTheProcessWideOne() {
		assertThat(OrtEnvironments.get()).isSameAs(OrtEnvironment.getEnvironment());
	}

	@Test
	void environmentThatExistsWithAnotherLogLevelIsReportedOnce(CapturedOutput output) {
		// the test JVM's environment exists at ONNX Runtime's default level, warning
		assertThat(OrtEnvironments.get(OrtLogLevel.ERROR)).isSameAs(OrtEnvironment.getEnvironment());
		assertThat(OrtEnvironments.get(OrtLogLevel.ERROR)).isSameAs(OrtEnvironment.getEnvironment());
		assertThat(output.getAll().split("onnx.runtime.log-level=warning", -1)).hasSize(2);
		assertThat(output).contains("with log level WARNING, so the level ERROR cannot apply");
	}

	@Test
	@EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
	void initialisationSurvivesALongCommandLine() throws Exception {
		// an 8 KB class path on the command line, as IDEs and exec plugins pass it
		List<String> classPath = new ArrayList<>(
				List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
		for (int i = 0; i < 200; i++) {
			classPath.add(this.work.resolve("absent-" + i + ".jar").toString());
		}
		JavaProcess process = JavaProcess.run(String.join(File.pathSeparator, classPath), List.of(),
				InitialiseOnnxRuntime.class);
		String output = process.output();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("ONNX Runtime 1.29.0");
	}

	/**
	 * Initialises ONNX Runtime the starter's way in a fresh JVM.
	 */
	public static final class InitialiseOnnxRuntime {

		public static void main(String[] args) {
			System.out.println("ONNX Runtime " + OrtEnvironments.get().getVersion());
		}

	}

}
