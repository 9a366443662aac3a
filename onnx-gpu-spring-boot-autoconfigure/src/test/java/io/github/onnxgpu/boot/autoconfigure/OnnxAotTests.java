package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.Compiled;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.autoconfigure.actuate.OnnxEndpointAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.health.OnnxHealthContributorAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.metrics.OnnxMetricsAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.nativelib.OnnxNativeCacheAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.reload.OnnxReloadAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.warmup.OnnxWarmupRequestAutoConfiguration;
import io.github.onnxgpu.boot.internal.metrics.OnnxMetrics;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheInstaller;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.ModelReloader;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.ReloadAttempt;
import io.github.onnxgpu.boot.model.ReloadOutcome;
import io.github.onnxgpu.boot.test.EndpointJson;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the starter under Spring AOT: processes a context with models ahead of time,
 * as {@code process-aot} does, compiles the generated code and starts a fresh context
 * from it, as {@code -Dspring.aot.enabled=true} does.
 */
@CompileWithForkedClassLoader
@ExtendWith(OutputCaptureExtension.class)
class OnnxAotTests {

	// the forked class loader initialises ONNX Runtime a second time in this JVM; where
	// an
	// earlier test pointed onnxruntime.native.path at the native cache, the same file is
	// then loaded again, which the JVM refuses ("already loaded in another classloader"),
	// while a fresh extraction (the default) loads. A process-aot build has one loader.
	private static @Nullable String nativePath;

	@TempDir
	Path buildTime;

	@BeforeAll
	static void extractNativeLibrariesAfresh() {
		nativePath = System.clearProperty(NativeLibraryCacheInstaller.NATIVE_PATH);
	}

	@AfterAll
	static void restoreNativePath() {
		if (nativePath != null) {
			System.setProperty(NativeLibraryCacheInstaller.NATIVE_PATH, nativePath);
		}
	}

	@TempDir
	Path runTime;

	@TempDir
	Path tuningCache;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class, OnnxEndpointAutoConfiguration.class,
				OnnxHealthContributorAutoConfiguration.class, OnnxMetricsAutoConfiguration.class,
				MetricsAutoConfiguration.class, OnnxNativeCacheAutoConfiguration.class,
				OnnxWarmupRequestAutoConfiguration.class, OnnxPropertyNamesAutoConfiguration.class))
		.withUserConfiguration(Meters.class);

	@Test
	void aotProcessedContextServesWarmedAndTunedModelsAsSessionBeans(CapturedOutput output) {
		Generated generated = processAheadOfTime(this.contextRunner.withUserConfiguration(Sessions.class)
			.withPropertyValues(models(this.buildTime, "detector", "tuned")));
		assertThat(generated.generation().getGeneratedFiles().getGeneratedFiles(Kind.CLASS).keySet())
			.as("the tuned model's session proxy, generated at build time for a native image")
			.anyMatch((file) -> file.startsWith("ai/onnxruntime/OrtSession$$SpringCGLIB$$"));
		// where the models are, their warmup and their tuning are read at run time
		startGenerated(generated, models(this.runTime, "detector", "tuned"), (context) -> {
			ManagedModelRegistry registry = context.getBean(ManagedModelRegistry.class);
			assertThat(registry.get("detector").definition().location().getDescription())
				.contains(this.runTime.toString());
			Sessions sessions = context.getBean(Sessions.class);
			assertThat(sessions.detector).isSameAs(context.getBean("detector"));
			// tuning and reloads may replace the session: the bean is the swappable proxy
			assertThat(sessions.detector.getClass().getName()).contains("$$SpringCGLIB$$");
			assertThat(sessions.tuned.getClass().getName()).contains("$$SpringCGLIB$$");
			ModelFiles.publishReady(context);
			for (String name : new String[] { "detector", "tuned" }) {
				ManagedModel model = registry.get(name);
				assertThat(model.status()).as(name).isEqualTo(ModelStatus.READY);
				assertThat(model.warmupResult().samples()).as(name).hasSize(1);
			}
			assertThat(registry.get("tuned").tuningReport().status()).isEqualTo(TuningStatus.TUNED);
			assertThat(registry.get("detector").tuningReport().status()).isEqualTo(TuningStatus.DISABLED);
			assertRuns(sessions.detector);
			assertRuns(sessions.tuned);
			assertThat(EndpointJson.map(EndpointJson.json(context.getBean(OnnxEndpoint.class).onnx()).path("models")))
				.containsOnlyKeys("detector", "tuned");
			assertThat(context.getBean("onnxHealthContributor", HealthContributor.class)).isNotNull();
			assertThat(context.getBean(OnnxMetrics.class)).isNotNull();
			assertThat(context.getBean(MeterRegistry.class).get(OnnxMetrics.SESSION_CREATION).gauges()).hasSize(2);
		});
		// the registry closed the sessions, once no run was in flight; Spring did not
		// close them before it
		assertThat(output).doesNotContain("already closed").doesNotContain("Invocation of close method failed");
	}

	@Test
	void aotProcessedContextBatchesOnTwoInstancesAndReloads() {
		// y = factor * x: the answers say which version ran
		Generated generated = processAheadOfTime(
				this.contextRunner.withConfiguration(AutoConfigurations.of(OnnxReloadAutoConfiguration.class))
					.withPropertyValues(batchedModel(this.buildTime, 2)));
		startGenerated(generated, batchedModel(this.runTime, 2), (context) -> {
			ModelFiles.publishReady(context);
			ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
			assertThat(model.status()).isEqualTo(ModelStatus.READY);
			assertThat(model.instanceCount()).isEqualTo(2);
			assertThat(model.batcher()).as("the model's batcher").isNotNull();
			OnnxInference inference = context.getBean(OnnxInference.class);
			runConcurrently(inference, 2);
			// runs were batched: a batch held more than one caller's run
			DistributionSummary batches = context.getBean(MeterRegistry.class).get(OnnxMetrics.BATCH_SIZE).summary();
			assertThat(batches.max()).as("largest batch").isGreaterThan(1);
			String before = model.version().sha256();
			long generation = model.generation();
			ModelFiles.write(this.runTime, "times.onnx", times(3));
			ReloadAttempt reload = context.getBean(ModelReloader.class).reload("m", "test");
			assertThat(reload.outcome()).as(String.valueOf(reload.reason())).isEqualTo(ReloadOutcome.SWAPPED);
			assertThat(reload.sha256()).isEqualTo(sha256(times(3))).isNotEqualTo(before);
			assertThat(model.version().sha256()).isEqualTo(sha256(times(3)));
			assertThat(model.generation()).isGreaterThan(generation);
			assertThat(model.reloads().swapped()).isOne();
			assertThat(model.instanceCount()).isEqualTo(2);
			runConcurrently(inference, 3);
		});
	}

	private String[] batchedModel(Path directory, float factor) {
		String location = ModelFiles.write(directory, "times.onnx", times(factor));
		return new String[] { "onnx.cuda.enabled=false", "onnx.models.m.location=" + location,
				"onnx.models.m.warmup.shapes[0].x=1x4", "onnx.models.m.instances=2",
				"onnx.models.m.batching.enabled=true", "onnx.models.m.batching.max-batch-size=8",
				"onnx.models.m.batching.max-delay=50ms" };
	}

	/**
	 * Eight callers at once, each with inputs of its own, each answered with its own
	 * inputs times the factor.
	 */
	private static void runConcurrently(OnnxInference inference, float factor) {
		int callers = 8;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(callers);
		try {
			List<Future<float[]>> answers = new ArrayList<>();
			for (int caller = 0; caller < callers; caller++) {
				float[] input = { caller, caller + 1, caller + 2, caller + 3 };
				answers.add(executor.submit(() -> {
					start.await();
					try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
							new float[][] { input }); OrtSession.Result result = inference.run("m", Map.of("x", x))) {
						return ((float[][]) result.get(0).getValue())[0];
					}
				}));
			}
			start.countDown();
			for (int caller = 0; caller < callers; caller++) {
				assertThat(answers.get(caller).get(30, TimeUnit.SECONDS)).as("caller %d", caller)
					.containsExactly(factor * caller, factor * (caller + 1), factor * (caller + 2),
							factor * (caller + 3));
			}
		}
		catch (InterruptedException | ExecutionException | TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static byte[] times(float factor) {
		return OnnxModelBuilder.graph("times")
			.input("x", TensorType.FLOAT, "N", 4)
			.output("y", TensorType.FLOAT, "N", 4)
			.initializer("factor", new float[] { factor })
			.node("Mul", List.of("x", "factor"), List.of("y"))
			.toByteArray();
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void modelAddedOrRemovedAfterAotProcessingStopsStartUpNamingTheModelAndTheFix() {
		// one processing and one compilation (the costly part) for both starts
		Generated generated = processAheadOfTime(
				this.contextRunner.withPropertyValues(models(this.buildTime, "detector", "classifier")));
		TestCompiler.forSystem().with(generated.generation()).compile((compiled) -> {
			assertThatExceptionOfType(OnnxModelException.class).isThrownBy(() -> start(compiled, generated,
					models(this.runTime, "detector", "classifier", "segmenter"), (context) -> {
					}))
				.satisfies((ex) -> assertThat(ex.getModelName()).isEqualTo("segmenter"))
				.withMessageContaining("ONNX model 'segmenter': it is configured but was not when the application "
						+ "was processed ahead of time")
				.withMessageMatching("(?s).*so it has no OrtSession bean \\(models built in: "
						+ "\\[(detector, classifier|classifier, detector)\\]\\).*")
				.withMessageContaining("spring-boot:process-aot");
			assertThatExceptionOfType(OnnxModelException.class)
				.isThrownBy(() -> start(compiled, generated, models(this.runTime, "detector"), (context) -> {
				}))
				.satisfies((ex) -> assertThat(ex.getModelName()).isEqualTo("classifier"))
				.withMessageContaining("has an OrtSession bean, but is not configured now")
				.withMessageContaining("spring-boot:process-aot");
		});
	}

	@Test
	void userBeanWithAModelsNameWinsUnderAot() {
		Generated generated = processAheadOfTime(this.contextRunner.withUserConfiguration(UserDetector.class)
			.withPropertyValues(models(this.buildTime, "detector")));
		startGenerated(generated, models(this.runTime, "detector"),
				(context) -> assertThat(context.getBean("detector")).isEqualTo("user's own"));
	}

	private String[] models(Path directory, String... names) {
		String location = ModelFiles.write(directory, "conv-net.onnx", TestModels.convNet());
		List<String> properties = new ArrayList<>(List.of("onnx.cuda.enabled=false", "spring.jmx.enabled=true",
				"management.endpoints.jmx.exposure.include=onnx"));
		for (String name : names) {
			properties.add("onnx.models." + name + ".location=" + location);
			properties.add("onnx.models." + name + ".warmup.shapes[0].x=1x3x16x16");
		}
		if (List.of(names).contains("tuned")) {
			properties.add("onnx.models.tuned.tuning.enabled=true");
			properties.add("onnx.models.tuned.tuning.runs=5");
			properties.add("onnx.models.tuned.tuning.candidates[0].session.intra-op-threads=1");
			properties.add("onnx.models.tuned.tuning.candidates[1].session.intra-op-threads=2");
			properties.add("onnx.models.tuned.tuning.cache.directory=" + this.tuningCache);
		}
		return properties.toArray(String[]::new);
	}

	private static Generated processAheadOfTime(ApplicationContextRunner runner) {
		TestGenerationContext generation = new TestGenerationContext();
		ClassName[] initializer = new ClassName[1];
		runner.prepare((context) -> initializer[0] = new ApplicationContextAotGenerator()
			.processAheadOfTime((GenericApplicationContext) context.getSourceApplicationContext(), generation));
		generation.writeGeneratedContent();
		return new Generated(generation, initializer[0]);
	}

	private static void startGenerated(Generated generated, String[] properties,
			Consumer<GenericApplicationContext> assertions) {
		TestCompiler.forSystem()
			.with(generated.generation())
			.compile((compiled) -> start(compiled, generated, properties, assertions));
	}

	@SuppressWarnings("unchecked")
	private static void start(Compiled compiled, Generated generated, String[] properties,
			Consumer<GenericApplicationContext> assertions) {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			TestPropertyValues.of(properties).applyTo(context);
			compiled.getInstance(ApplicationContextInitializer.class, generated.initializer().toString())
				.initialize(context);
			context.refresh();
			assertions.accept(context);
		}
	}

	private static void assertRuns(OrtSession session) {
		try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), new float[1][3][8][8]);
				OrtSession.Result result = session.run(Map.of("x", x))) {
			assertThat(((OnnxTensor) result.get(0)).getInfo().getShape()).containsExactly(1, 1, 8, 8);
		}
		catch (OrtException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Generated(TestGenerationContext generation, ClassName initializer) {

	}

	@Configuration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	static class Sessions {

		final OrtSession detector;

		final OrtSession tuned;

		Sessions(@Qualifier("detector") OrtSession detector, @Qualifier("tuned") OrtSession tuned) {
			this.detector = detector;
			this.tuned = tuned;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDetector {

		@Bean
		String detector() {
			return "user's own";
		}

	}

}
