package io.github.onnxgpu.boot.internal.provider;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.onnxgpu.boot.model.CudaFallback;
import io.github.onnxgpu.boot.test.GpuAvailability;
import io.github.onnxgpu.boot.test.JavaProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Tests for {@link CudaProviderInstaller#ONNX_RUNTIME} where CUDA cannot load, in a new
 * JVM: ONNX Runtime's native log goes to the process's standard error.
 */
class CudaProviderInstallerTests {

	@TempDir
	Path temp;

	@Test
	void whenCudaCannotLoadReasonIsInTheExceptionAndNothingIsLoggedNatively() throws Exception {
		assumeFalse(GpuAvailability.cudaLoads(), "CUDA loads here");
		// -Xss: the class path on the command line (see OrtEnvironments)
		JavaProcess process = JavaProcess.run(System.getProperty("java.class.path"),
				List.of("-Xss16m", "-Djava.io.tmpdir=" + this.temp), AddCuda.class);
		String output = process.output();
		assertThat(process.exitValue()).as(output).isZero();
		// ONNX Runtime's native error lines look like "... [E:onnxruntime:ort-java,
		// file.cc:1 Create] ..."
		assertThat(output).doesNotContain("[E:onnxruntime")
			.contains("exception=")
			.containsAnyOf("Failed to load library", "Failed to find CUDA shared provider");
	}

	/**
	 * Tries to add CUDA as the starter does.
	 */
	static final class AddCuda {

		public static void main(String[] args) {
			OrtEnvironment.getEnvironment();
			try (SessionOptions options = new SessionOptions()) {
				CudaProviderInstaller.ONNX_RUNTIME.install(options,
						new CudaSettings(true, CudaFallback.FAIL, 0, Map.of()));
				System.out.println("cuda=added");
			}
			catch (Exception ex) {
				System.out.println("exception=" + ex.getMessage());
			}
		}

	}

}
