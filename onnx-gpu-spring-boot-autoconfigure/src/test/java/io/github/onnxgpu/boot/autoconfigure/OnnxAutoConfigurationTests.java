package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller;
import io.github.onnxgpu.boot.internal.provider.CudaProviderSelector;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.ModelDefinition;
import io.github.onnxgpu.boot.internal.session.OnnxSessionFactory;
import io.github.onnxgpu.boot.internal.startup.DownloadSettings;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link OnnxAutoConfiguration}.
 */
class OnnxAutoConfigurationTests {

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void autoConfigurationBacksOffWithoutOnnxRuntime() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(OrtEnvironment.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ManagedModelRegistry.class));
	}

	@Test
	void withoutModelsRegistryIsEmpty() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ManagedModelRegistry.class).hasSingleBean(OrtEnvironment.class);
			assertThat(context.getBean(ManagedModelRegistry.class).models()).isEmpty();
			assertThat(context).doesNotHaveBean(OrtSession.class);
		});
	}

	@Test
	void modelBecomesSessionBeanQualifiedWithItsName() {
		this.contextRunner.withUserConfiguration(QualifiedInjection.class)
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.shapes[0].x=1x3x16x16")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				assertThat(context.getBean("detector")).isSameAs(model.session());
				assertThat(context.getBean(QualifiedInjection.class).session).isSameAs(model.session());
				assertThat(model.session().getInputNames()).containsExactly("x");
				assertThat(model.status()).isEqualTo(ModelStatus.LOADING);
			});
	}

	@Test
	void sessionBeanRunsInference() {
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				OrtSession session = context.getBean("detector", OrtSession.class);
				OrtEnvironment environment = context.getBean(OrtEnvironment.class);
				try (OnnxTensor input = OnnxTensor.createTensor(environment, new float[1][3][8][8]);
						OrtSession.Result result = session.run(Map.of("x", input))) {
					assertThat(((OnnxTensor) result.get(0)).getInfo().getShape()).containsExactly(1, 1, 8, 8);
				}
			});
	}

	@Test
	void userBeanWithModelNameWins() {
		this.contextRunner.withUserConfiguration(UserDetectorBean.class)
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> assertThat(context.getBean("detector")).isEqualTo("user's own"));
	}

	@Test
	void userSessionFactoryWins() {
		this.contextRunner.withUserConfiguration(RecordingSessionFactoryConfiguration.class)
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(OnnxSessionFactory.class);
				assertThat(context.getBean(RecordingSessionFactory.class).created).hasSize(1);
			});
	}

	@Test
	void customizerSeesConfiguredSessionOptionsForEachModel() {
		List<String> customized = new ArrayList<>();
		this.contextRunner
			.withBean(OrtSessionOptionsCustomizer.class,
					() -> (name, options) -> customized
						.add(name + ":" + options.getConfigEntries().get("session.use_env_allocators")))
			.withPropertyValues("onnx.models.a.location=" + ModelFiles.convNet(this.models),
					"onnx.models.a.warmup.enabled=false", "onnx.models.a.session.config.session.use_env_allocators=1",
					"onnx.models.b.location=" + ModelFiles.convNet(this.models), "onnx.models.b.warmup.enabled=false")
			.run((context) -> assertThat(customized).containsExactly("a:1", "b:null"));
	}

	@Test
	void sessionOptionsAreAppliedToTheSession() {
		Path optimized = this.models.resolve("optimized.onnx");
		this.contextRunner
			.withPropertyValues("onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false", "onnx.models.detector.session.intra-op-threads=1",
					"onnx.models.detector.session.inter-op-threads=1",
					"onnx.models.detector.session.execution-mode=parallel",
					"onnx.models.detector.session.optimization-level=basic",
					"onnx.models.detector.session.memory-pattern=false", "onnx.models.detector.session.cpu-arena=false",
					"onnx.models.detector.session.optimized-model-path=" + optimized)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// ONNX Runtime only writes the optimized graph when it got the option
				assertThat(optimized).exists();
				ModelDefinition definition = context.getBean(ManagedModelRegistry.class).get("detector").definition();
				assertThat(definition.session().describe()).containsEntry("intra_op_threads", 1)
					.containsEntry("execution_mode", "parallel")
					.containsEntry("optimization_level", "basic")
					.containsEntry("cpu_arena", false);
			});
	}

	@Test
	void modelNameThatIsNotAValidQualifierFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.models.[my model].location=" + ModelFiles.convNet(this.models))
			.run((context) -> assertThat(StartupFailures.modelException(context))
				.hasMessageContaining("'my model' is not a valid bean qualifier")
				.hasMessageContaining("onnx.models.my model")
				.hasMessageContaining("rename the model"));
	}

	@Test
	void failedStartupClosesSessionsAlreadyCreated() {
		this.contextRunner.withUserConfiguration(RecordingSessionFactoryConfiguration.class)
			.withPropertyValues("onnx.models.good.location=" + ModelFiles.convNet(this.models),
					"onnx.models.good.warmup.enabled=false",
					"onnx.models.missing.location=file:" + this.models.resolve("missing.onnx"))
			.run((context) -> {
				assertThat(context).hasFailed();
				RecordingSessionFactory factory = RecordingSessionFactoryConfiguration.last;
				assertThat(factory.created).hasSize(1);
				ManagedModel good = factory.created.get(0);
				assertThat(good.isClosed()).isTrue();
				assertThatIllegalStateException().isThrownBy(() -> good.session().run(Map.of()));
			});
	}

	@Test
	void modelFilesAreNotCopiedToTheSystemTempFolder() throws Exception {
		// the starter hands a file on disk to ONNX Runtime by path and never copies it;
		// other
		// processes share the temp folder, so only a new file holding the model counts
		Path systemTemp = Path.of(System.getProperty("java.io.tmpdir"));
		Set<Path> before = filesIn(systemTemp);
		byte[] model = TestModels.convNet();
		this.contextRunner
			.withPropertyValues(
					"onnx.models.detector.location=" + ModelFiles.write(this.models, "conv-net.onnx", model),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
		Set<Path> added = filesIn(systemTemp);
		added.removeAll(before);
		assertThat(added).noneMatch((file) -> holds(file, model));
	}

	private static Set<Path> filesIn(Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter(Files::isRegularFile).collect(Collectors.toCollection(HashSet::new));
		}
	}

	private static boolean holds(Path file, byte[] content) {
		try {
			return Files.size(file) == content.length && Arrays.equals(Files.readAllBytes(file), content);
		}
		catch (IOException ex) {
			// deleted meanwhile by its owner
			return false;
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedInjection {

		@Autowired
		@Qualifier("detector")
		OrtSession session;

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDetectorBean {

		@Bean
		String detector() {
			return "user's own";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingSessionFactoryConfiguration {

		static RecordingSessionFactory last;

		@Bean
		RecordingSessionFactory recordingSessionFactory(OrtEnvironment environment) {
			last = new RecordingSessionFactory(environment,
					new CudaProviderSelector(CudaProviderInstaller.ONNX_RUNTIME));
			return last;
		}

	}

	static class RecordingSessionFactory extends OnnxSessionFactory {

		final List<ManagedModel> created = new ArrayList<>();

		RecordingSessionFactory(OrtEnvironment environment, CudaProviderSelector providerSelector) {
			super(environment, providerSelector, List.of(), defaultDownloads());
		}

		private static DownloadSettings defaultDownloads() {
			OnnxProperties.Download download = new OnnxProperties.Download();
			return DownloadSettings.checked(download.getConnectTimeout(), download.getReadTimeout(),
					download.getTimeout(), download.getDirectory());
		}

		@Override
		public ManagedModel create(ModelDefinition definition) {
			ManagedModel model = super.create(definition);
			this.created.add(model);
			return model;
		}

	}

}
