package io.github.onnxgpu.boot.autoconfigure.nativelib;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import io.github.onnxgpu.boot.internal.nativelib.JarNativeLibrarySource;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheInstaller;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult.Status;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResults;
import io.github.onnxgpu.boot.internal.provider.CudaDriverProbe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OnnxNativeCacheEnvironmentPostProcessor} and
 * {@link OnnxNativeCacheAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OnnxNativeCacheEnvironmentPostProcessorTests {

	@TempDir
	Path temp;

	private final Properties systemProperties = new Properties();

	// a host with an NVIDIA driver unless a test says otherwise
	private CudaDriverProbe driverProbe = () -> null;

	private Path jar;

	@BeforeEach
	void writeJar() throws IOException {
		NativeLibraryCacheResults.reset();
		this.jar = this.temp.resolve("onnxruntime-1.29.0.jar");
		try (OutputStream out = Files.newOutputStream(this.jar); JarOutputStream zip = new JarOutputStream(out)) {
			for (String library : new String[] { "libonnxruntime.so", "libonnxruntime4j_jni.so",
					"libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so",
					"libonnxruntime_providers_tensorrt.so" }) {
				zip.putNextEntry(new JarEntry("ai/onnxruntime/native/linux-x64/" + library));
				zip.write(library.getBytes());
				zip.closeEntry();
			}
		}
	}

	@AfterEach
	void resetLastResult() {
		NativeLibraryCacheResults.reset();
	}

	@Test
	void postProcessorPointsOnnxRuntimeAtTheConfiguredDirectory() {
		Path directory = this.temp.resolve("cache");
		postProcess(new MockEnvironment().withProperty("onnx.native.cache.directory", directory.toString()));
		assertThat(this.systemProperties.getProperty(NativeLibraryCacheInstaller.NATIVE_PATH))
			.isEqualTo(directory.toString());
		assertThat(NativeLibraryCacheResults.last().status()).isEqualTo(Status.CREATED);
		assertThat(directory.resolve("libonnxruntime.so")).exists();
	}

	@Test
	void postProcessorWhenCacheCannotBeWrittenWarnsOnceAndLeavesOnnxRuntimeAlone(CapturedOutput output)
			throws IOException {
		Path notAFolder = Files.createFile(this.temp.resolve("not-a-folder"));
		postProcess(new MockEnvironment().withProperty("onnx.native.cache.directory",
				notAFolder.resolve("cache").toString()));
		assertThat(this.systemProperties).doesNotContainKey(NativeLibraryCacheInstaller.NATIVE_PATH);
		assertThat(NativeLibraryCacheResults.last().status()).isEqualTo(Status.FAILED);
		assertThat(output.toString().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("Not caching ONNX Runtime's native libraries", notAFolder.toString());
	}

	@Test
	void postProcessorWhenDirectoryHoldsUserFilesWarnsOnceAndKeepsThem(CapturedOutput output) throws IOException {
		Path home = Files.createDirectory(this.temp.resolve("home"));
		Path bashrc = Files.writeString(home.resolve(".bashrc"), "export PATH");
		postProcess(new MockEnvironment().withProperty("onnx.native.cache.directory", home.toString()));
		assertThat(this.systemProperties).doesNotContainKey(NativeLibraryCacheInstaller.NATIVE_PATH);
		assertThat(NativeLibraryCacheResults.last().status()).isEqualTo(Status.FAILED);
		assertThat(bashrc).hasContent("export PATH");
		assertThat(output.toString().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains(home.toString(), "holds 1 entry the cache did not create", "onnx.native.cache.directory")
			.doesNotContain(".bashrc");
		assertThat(NativeLibraryCacheResults.last().reason()).doesNotContain(".bashrc");
	}

	@Test
	void postProcessorWhenUserSetNativePathLeavesItAlone(CapturedOutput output) {
		this.systemProperties.setProperty(NativeLibraryCacheInstaller.NATIVE_PATH, "/opt/onnxruntime");
		postProcess(new MockEnvironment().withProperty("onnx.native.cache.directory",
				this.temp.resolve("cache").toString()));
		assertThat(this.systemProperties.getProperty(NativeLibraryCacheInstaller.NATIVE_PATH))
			.isEqualTo("/opt/onnxruntime");
		assertThat(NativeLibraryCacheResults.last().status()).isEqualTo(Status.SKIPPED);
		assertThat(this.temp.resolve("cache")).doesNotExist();
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void postProcessorWhenHostHasDriverCachesGpuProviders() {
		Path directory = this.temp.resolve("cache");
		postProcess(new MockEnvironment().withProperty("onnx.native.cache.directory", directory.toString()));
		assertThat(directory.resolve("libonnxruntime_providers_cuda.so")).exists();
		assertThat(directory.resolve("libonnxruntime_providers_tensorrt.so")).exists();
	}

	@Test
	void postProcessorWhenHostHasNoDriverLeavesGpuProvidersOut() {
		this.driverProbe = () -> "no NVIDIA driver";
		Path directory = this.temp.resolve("cache");
		postProcess(new MockEnvironment().withProperty("onnx.native.cache.directory", directory.toString()));
		assertThat(directory.resolve("libonnxruntime.so")).exists();
		assertThat(directory.resolve("libonnxruntime_providers_shared.so")).exists();
		assertThat(directory.resolve("libonnxruntime_providers_cuda.so")).doesNotExist();
		assertThat(directory.resolve("libonnxruntime_providers_tensorrt.so")).doesNotExist();
	}

	@Test
	void postProcessorWhenProbeIsOffCachesGpuProvidersWithoutDriver() {
		this.driverProbe = () -> "no NVIDIA driver";
		Path directory = this.temp.resolve("cache");
		postProcess(new MockEnvironment().withProperty("onnx.native.cache.directory", directory.toString())
			.withProperty("onnx.cuda.probe", "false"));
		assertThat(directory.resolve("libonnxruntime_providers_cuda.so")).exists();
	}

	@Test
	void postProcessorWhenCudaIsDisabledLeavesGpuProvidersOut() {
		Path directory = this.temp.resolve("cache");
		postProcess(new MockEnvironment().withProperty("onnx.native.cache.directory", directory.toString())
			.withProperty("onnx.cuda.enabled", "false"));
		assertThat(directory.resolve("libonnxruntime.so")).exists();
		assertThat(directory.resolve("libonnxruntime_providers_cuda.so")).doesNotExist();
	}

	@Test
	void postProcessorDefaultDirectoriesDifferWithAndWithoutGpuProviders() {
		Path home = this.temp.resolve("home");
		this.systemProperties.setProperty("user.home", home.toString());
		postProcess(new MockEnvironment());
		Path full = Path.of(this.systemProperties.getProperty(NativeLibraryCacheInstaller.NATIVE_PATH));
		// as in a new JVM on a host without a driver
		this.systemProperties.remove(NativeLibraryCacheInstaller.NATIVE_PATH);
		NativeLibraryCacheResults.reset();
		this.driverProbe = () -> "no NVIDIA driver";
		postProcess(new MockEnvironment());
		Path core = Path.of(this.systemProperties.getProperty(NativeLibraryCacheInstaller.NATIVE_PATH));
		assertThat(full.getParent()).isEqualTo(core.getParent()).isEqualTo(home.resolve(".cache/onnx-gpu-spring-boot"));
		assertThat(core).isNotEqualTo(full);
		assertThat(full.resolve("libonnxruntime_providers_cuda.so")).exists();
		assertThat(core.resolve("libonnxruntime_providers_cuda.so")).doesNotExist();
		assertThat(core.resolve("libonnxruntime.so")).exists();
	}

	@Test
	void applicationSeesPropertiesFromApplicationYamlAndExposesTheResult() throws IOException {
		Path yaml = Files.writeString(this.temp.resolve("application.yml"), """
				onnx:
				  native:
				    cache:
				      enabled: false
				""");
		SpringApplication application = new SpringApplication(OnnxNativeCacheAutoConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		// should the post-processor run before config data, fail here rather than unpack
		// the
		// real 600 MB jar on the test class path into the user's home
		application.setDefaultProperties(Map.of("onnx.native.cache.directory",
				Files.createFile(this.temp.resolve("not-a-folder")).resolve("cache").toString()));
		try (ConfigurableApplicationContext context = application.run("--spring.config.location=file:" + yaml)) {
			NativeLibraryCacheResult result = context.getBean(NativeLibraryCacheResult.class);
			assertThat(result.status()).isEqualTo(Status.DISABLED);
			assertThat(result.directory()).isNull();
		}
	}

	private void postProcess(MockEnvironment environment) {
		new OnnxNativeCacheEnvironmentPostProcessor(LogFactory.getLog(OnnxNativeCacheEnvironmentPostProcessor.class),
				this.systemProperties, (classLoader) -> () -> JarNativeLibrarySource.open(this.jar, "linux-x64"),
				this.driverProbe)
			.postProcessEnvironment(environment, new SpringApplication());
	}

}
