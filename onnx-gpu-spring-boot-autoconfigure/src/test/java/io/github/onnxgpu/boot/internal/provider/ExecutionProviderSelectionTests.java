package io.github.onnxgpu.boot.internal.provider;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.OnnxSessionFactory;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.EndpointJson;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.StartupFailures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests execution provider libraries ({@code onnx.execution-provider-libraries}) and
 * providers asked for by name ({@code onnx.models.<name>.execution-provider.*}) on the
 * CPU: ONNX Runtime's CPU provider is in its device list, so it stands for a provider
 * added with {@code addExecutionProvider(devices, options)}; no plugin provider library
 * exists on this host, so registration is proven by its failures.
 */
class ExecutionProviderSelectionTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly()
		.withPropertyValues("onnx.warmup.enabled=false");

	@Test
	void aModelRunsOnTheCpuProviderAskedForByNameOnItsCpuDeviceShownInTheEndpoint() {
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.m.execution-provider.name=CPUExecutionProvider",
					"onnx.models.m.execution-provider.device-type=CPU",
					"onnx.models.m.execution-provider.options.ep.context_enable=0", "onnx.warmup.enabled=true",
					"onnx.models.m.warmup.shapes[0].x=1x3x16x16")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// warmed: it ran on the provider
				ModelFiles.publishReady(context.getSourceApplicationContext());
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
				ProviderChoice provider = model.provider();
				assertThat(provider.fellBack()).isFalse();
				assertThat(provider.active()).isEqualTo(OrtProvider.CPU);
				assertThat(provider.executionProvider()).isNotNull();
				assertThat(provider.executionProvider().active()).isTrue();
				assertThat(provider.executionProvider().devices()).singleElement()
					.satisfies((device) -> assertThat(device.type()).isEqualTo("CPU"));
				JsonNode runsOn = EndpointJson.json(new OnnxEndpoint(context, false).model("m")).get("runsOn");
				assertThat(runsOn.get("provider").asString()).isEqualTo("CPUExecutionProvider");
				assertThat(runsOn.get("requested").asString()).isEqualTo("CPUExecutionProvider");
				assertThat(runsOn.get("devices").get(0).get("type").asString()).isEqualTo("CPU");
				assertThat(runsOn.get("devices").get(0).get("vendorId").asInt())
					.isEqualTo(provider.executionProvider().devices().get(0).vendorId());
			});
	}

	@Test
	void aModelOnTheTypedChainShowsTheCpuDeviceItRunsOn() {
		this.contextRunner.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.directory))
			.run((context) -> {
				JsonNode runsOn = EndpointJson.json(new OnnxEndpoint(context, false).model("m")).get("runsOn");
				assertThat(runsOn.get("provider").asString()).isEqualTo("CPUExecutionProvider");
				assertThat(runsOn.get("requested").isNull()).isTrue();
				assertThat(runsOn.get("devices").get(0).get("type").asString()).isEqualTo("CPU");
			});
	}

	@Test
	void aProviderNameNoDeviceHasStopsStartUpNamingThePropertyAndTheDevicesThereAre() {
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.m.execution-provider.name=NoSuchExecutionProvider")
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getProperty()).isEqualTo("onnx.models.m.execution-provider.name");
				assertThat(failure.getProblem()).contains(
						"no device of the execution provider 'NoSuchExecutionProvider'", "CPUExecutionProvider on CPU");
				assertThat(failure.getAction()).contains("onnx.execution-provider-libraries.",
						"onnx.cuda.fallback=cpu");
			});
	}

	@Test
	void aProviderNameNoDeviceHasFallsBackToTheCpuWithItsReasonWhenTheFallbackSaysCpu() {
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.m.execution-provider.name=NoSuchExecutionProvider", "onnx.models.m.cuda.fallback=cpu",
					"onnx.warmup.enabled=true", "onnx.models.m.warmup.shapes[0].x=1x3x16x16")
			.run((context) -> {
				ModelFiles.publishReady(context.getSourceApplicationContext());
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
				assertThat(model.provider().active()).isEqualTo(OrtProvider.CPU);
				assertThat(model.provider().fallbackReason()).contains("NoSuchExecutionProvider");
				assertThat(model.provider().fallbackReasons()).singleElement()
					.asString()
					.startsWith("NoSuchExecutionProvider: ");
				assertThat(model.provider().executionProvider().active()).isFalse();
			});
	}

	@Test
	void aGpuAskedOfAProviderWithCpuDevicesOnlyStopsStartUpNamingTheDeviceTypeProperty() {
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.m.execution-provider.name=CPUExecutionProvider",
					"onnx.models.m.execution-provider.device-type=GPU")
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getProperty()).isEqualTo("onnx.models.m.execution-provider.device-type");
				assertThat(failure.getProblem()).contains("has device-type=GPU", "CPUExecutionProvider on CPU");
				assertThat(failure.getAction()).contains("onnx.cuda.fallback=cpu");
			});
	}

	@Test
	void aDeviceIdNoDeviceHasFallsBackWhenAllowed() {
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.m.execution-provider.name=CPUExecutionProvider",
					"onnx.models.m.execution-provider.device-id=4242", "onnx.cuda.fallback=cpu")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				assertThat(model.provider().fellBack()).isTrue();
				assertThat(model.provider().fallbackReason()).contains("device-id=4242");
			});
	}

	@Test
	void providerSettingsWithoutANameStopStartUp() {
		this.contextRunner
			.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.directory),
					"onnx.models.m.execution-provider.device-type=GPU")
			.run((context) -> assertThat(StartupFailures.modelException(context).getProperty())
				.isEqualTo("onnx.models.m.execution-provider.name"));
	}

	@Test
	void theLibrariesAreRegisteredBeforeTheSessionFactoryAndUnregisteredAfterTheRegistryClosesTheSessions() {
		this.contextRunner.withPropertyValues("onnx.models.m.location=" + ModelFiles.convNet(this.directory))
			.run((context) -> {
				ConfigurableListableBeanFactory beans = context.getBeanFactory();
				String libraries = beans.getBeanNamesForType(ExecutionProviderLibraries.class)[0];
				String factory = beans.getBeanNamesForType(OnnxSessionFactory.class)[0];
				String registry = beans.getBeanNamesForType(ManagedModelRegistry.class)[0];
				// Spring creates a bean's dependencies first and destroys its dependents
				// first
				assertThat(beans.getDependenciesForBean(factory)).contains(libraries);
				assertThat(beans.getDependenciesForBean(registry)).contains(factory);
				assertThat(context.getBean(ExecutionProviderLibraries.class).libraries()).isEmpty();
			});
	}

	@Test
	void aMissingProviderLibraryStopsStartUpNamingItsProperty() {
		Path missing = this.directory.resolve("libnothing_here.so");
		this.contextRunner.withPropertyValues("onnx.execution-provider-libraries.plugin=" + missing).run((context) -> {
			OnnxModelException failure = StartupFailures.modelException(context);
			assertThat(failure.getProperty()).isEqualTo("onnx.execution-provider-libraries.plugin");
			assertThat(failure.getProblem()).contains(missing.toString(), "does not exist");
			assertThat(failure.getAction()).contains("shared library");
		});
	}

	@Test
	void aFileThatIsNoSharedLibraryStopsStartUpWithOnnxRuntimesReason() throws IOException {
		Path text = Files.writeString(this.directory.resolve("provider.so"), "not a library\n");
		this.contextRunner.withPropertyValues("onnx.execution-provider-libraries.plugin=" + text).run((context) -> {
			OnnxModelException failure = StartupFailures.modelException(context);
			assertThat(failure.getProperty()).isEqualTo("onnx.execution-provider-libraries.plugin");
			assertThat(failure.getProblem()).contains("cannot be loaded as a shared library", text.toString());
		});
	}

	@Test
	void aSharedLibraryThatIsNoProviderStopsStartUpSayingSo() throws Exception {
		// ONNX Runtime's own JNI library: a real shared library without CreateEpFactories
		Path jni = extractJniLibrary(this.directory);
		this.contextRunner.withPropertyValues("onnx.execution-provider-libraries.jni=" + jni).run((context) -> {
			OnnxModelException failure = StartupFailures.modelException(context);
			assertThat(failure.getProperty()).isEqualTo("onnx.execution-provider-libraries.jni");
			assertThat(failure.getProblem()).contains("is not an execution provider library", "CreateEpFactories");
			assertThat(failure.getAction()).contains("plugin execution provider library built for ONNX Runtime");
		});
	}

	static Path extractJniLibrary(Path directory) throws IOException, URISyntaxException {
		Path jar = Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Path target = directory.resolve("libonnxruntime4j_jni.so");
		try (ZipFile zip = new ZipFile(jar.toFile());
				InputStream in = zip
					.getInputStream(zip.getEntry("ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so"))) {
			Files.copy(in, target);
		}
		return target;
	}

}
