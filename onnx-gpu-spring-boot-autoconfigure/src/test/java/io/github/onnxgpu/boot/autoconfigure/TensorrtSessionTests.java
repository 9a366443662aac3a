package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;

import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.internal.provider.CudaDriverProbe;
import io.github.onnxgpu.boot.internal.provider.TensorrtCacheState;
import io.github.onnxgpu.boot.internal.provider.TensorrtProviderInstaller;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.test.EndpointJson;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.ProviderSeams;
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the TensorRT step of {@link OnnxAutoConfiguration} with an installer that stands
 * in for ONNX Runtime's TensorRT library: the options derived from the model and its
 * warmup, the cache folders and states, and bad profiles stopping start-up.
 */
class TensorrtSessionTests {

	@TempDir
	Path models;

	@TempDir
	Path cache;

	private final List<Map<String, String>> sent = new ArrayList<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withUserConfiguration(ProviderSeams.class)
		.withBean(TensorrtProviderInstaller.class, () -> (options, trt) -> this.sent.add(trt));

	@Test
	void warmupShapesBecomeTheProfileAndTheEngineCacheIsKeyedByModel() {
		String location = ModelFiles.convNet(this.models);
		this.contextRunner.withPropertyValues(properties(location)).run((context) -> {
			assertThat(context).hasNotFailed();
			ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
			assertThat(model.provider())
				.isEqualTo(io.github.onnxgpu.boot.internal.provider.ProviderChoice.as(OrtProvider.TENSOR_RT));
			assertThat(this.sent).singleElement()
				.satisfies((options) -> assertThat(options).containsEntry("trt_profile_min_shapes", "x:1x3x16x32")
					.containsEntry("trt_profile_opt_shapes", "x:1x3x32x48")
					.containsEntry("trt_profile_max_shapes", "x:2x3x32x48")
					.containsEntry("trt_fp16_enable", "1"));
			Path folder = model.tensorrt().engineCacheDirectory();
			assertThat(folder.getParent()).isEqualTo(this.cache.resolve("detector").toAbsolutePath());
			assertThat(this.sent.get(0)).containsEntry("trt_engine_cache_path", folder.toString());
			assertThat(model.tensorrt().cacheState()).isEqualTo(TensorrtCacheState.BUILT);
			JsonNode described = EndpointJson.json(new OnnxEndpoint(context, false).model("detector"));
			assertThat(described.path("provider").asString()).isEqualTo("TENSOR_RT");
			assertThat(EndpointJson.map(described.path("settings").path("tensorrt"))).isEqualTo(this.sent.get(0));
			assertThat(described.path("settings").path("tensorrtActive").asBoolean()).isTrue();
			assertThat(described.path("tensorrtCache").path("directory").asString()).isEqualTo(folder.toString());
			assertThat(described.path("tensorrtCache").path("state").asString()).isEqualTo("BUILT");
			assertThat(EndpointJson.strings(described.path("fallbackReasons"))).isEmpty();
		});
	}

	@Test
	void anEngineLeftByAnEarlierStartIsAHitAndAChangedModelGetsAnotherFolder() throws Exception {
		String location = ModelFiles.convNet(this.models);
		Path[] first = new Path[1];
		this.contextRunner.withPropertyValues(properties(location))
			.run((context) -> first[0] = context.getBean(ManagedModelRegistry.class)
				.get("detector")
				.tensorrt()
				.engineCacheDirectory());
		Files.writeString(first[0].resolve("TensorrtExecutionProvider_TRTKernel_graph_conv_net_1_sm86.engine"), "x");
		this.contextRunner.withPropertyValues(properties(location)).run((context) -> {
			ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
			assertThat(model.tensorrt().engineCacheDirectory()).isEqualTo(first[0]);
			assertThat(model.tensorrt().cacheState()).isEqualTo(TensorrtCacheState.HIT);
		});
		String changed = ModelFiles.write(this.models, "changed.onnx", TestModels.embeddingModel());
		this.contextRunner
			.withPropertyValues("onnx.cuda.enabled=false", "onnx.tensorrt.enabled=true",
					"onnx.tensorrt.engine-cache.directory=" + this.cache, "onnx.models.detector.location=" + changed,
					"onnx.models.detector.warmup.shapes[0].input_ids=1x8")
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				assertThat(model.tensorrt().engineCacheDirectory()).isNotEqualTo(first[0]);
				assertThat(model.tensorrt().cacheState()).isEqualTo(TensorrtCacheState.BUILT);
				assertThat(this.sent.get(this.sent.size() - 1)).containsEntry("trt_profile_min_shapes",
						"input_ids:1x8,attention_mask:1x8");
			});
	}

	@Test
	void whenTensorrtCannotBeAddedCudaIsNextAndTheEndpointListsTheStep() {
		String location = ModelFiles.convNet(this.models);
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withUserConfiguration(ProviderSeams.class)
			.withBean(TensorrtProviderInstaller.class, () -> (options, trt) -> {
				throw new ai.onnxruntime.OrtException("libnvinfer.so.10: cannot open shared object file");
			})
			.withBean(io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller.class,
					() -> (options, settings) -> {
					})
			.withPropertyValues("onnx.tensorrt.enabled=true", "onnx.tensorrt.engine-cache.directory=" + this.cache,
					"onnx.tensorrt.timing-cache.enabled=false", "onnx.models.detector.location=" + location,
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				JsonNode described = EndpointJson.json(new OnnxEndpoint(context, false).model("detector"));
				assertThat(described.path("provider").asString()).isEqualTo("CUDA");
				assertThat(described.path("requestedProvider").asString()).isEqualTo("TENSOR_RT");
				assertThat(EndpointJson.strings(described.path("fallbackReasons")))
					.containsExactly("TENSOR_RT: libnvinfer.so.10: cannot open " + "shared object file");
				assertThat(described.path("tensorrtCache").isMissingNode() || described.path("tensorrtCache").isNull())
					.isTrue();
				// what was tried stays visible, marked as not in force
				assertThat(described.path("settings").path("tensorrtActive").asBoolean(true)).isFalse();
				assertThat(EndpointJson.map(described.path("settings").path("tensorrt")))
					.containsEntry("trt_engine_cache_enable", "1")
					.hasEntrySatisfying("trt_engine_cache_path",
							(path) -> assertThat((String) path).startsWith(this.cache.resolve("detector").toString()));
			});
	}

	@Test
	void aBatchedModelsProfileCoversItsLargestBatch() {
		String location = ModelFiles.convNet(this.models);
		this.contextRunner.withPropertyValues(properties(location))
			.withPropertyValues("onnx.models.detector.batching.enabled=true",
					"onnx.models.detector.batching.max-batch-size=8")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.sent).singleElement()
					.satisfies((options) -> assertThat(options).containsEntry("trt_profile_min_shapes", "x:1x3x16x32")
						.containsEntry("trt_profile_max_shapes", "x:8x3x32x48"));
			});
	}

	@Test
	void whereTensorrtCannotEvenBeTriedTheEndpointShowsTheDerivedProfileAndCachePathsAsNotActive() {
		String location = ModelFiles.convNet(this.models);
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			// a host without a GPU: the probe stops the chain before TensorRT is asked
			.withUserConfiguration(ProviderSeams.class)
			.withBean(CudaDriverProbe.class, () -> () -> "no NVIDIA driver")
			.withBean(TensorrtProviderInstaller.class, () -> (options, trt) -> this.sent.add(trt))
			.withPropertyValues("onnx.cuda.fallback=cpu", "onnx.tensorrt.enabled=true",
					"onnx.tensorrt.engine-cache.directory=" + this.cache.resolve("engines"),
					"onnx.tensorrt.timing-cache.directory=" + this.cache.resolve("timing"),
					"onnx.models.detector.location=" + location, "onnx.models.detector.warmup.shapes[0].x=1x3x32x48",
					"onnx.models.detector.warmup.shapes[1].x=2x3x16x32")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				JsonNode described = EndpointJson.json(new OnnxEndpoint(context, false).model("detector"));
				assertThat(described.path("provider").asString()).isEqualTo("CPU");
				assertThat(described.path("requestedProvider").asString()).isEqualTo("TENSOR_RT");
				assertThat(this.sent).isEmpty();
				assertThat(described.path("settings").path("tensorrtActive").asBoolean(true)).isFalse();
				assertThat(EndpointJson.map(described.path("settings").path("tensorrt")))
					.containsEntry("trt_profile_min_shapes", "x:1x3x16x32")
					.containsEntry("trt_profile_opt_shapes", "x:1x3x32x48")
					.containsEntry("trt_profile_max_shapes", "x:2x3x32x48")
					.hasEntrySatisfying("trt_engine_cache_path",
							(path) -> assertThat((String) path)
								.startsWith(this.cache.resolve("engines").resolve("detector").toString()))
					.hasEntrySatisfying("trt_timing_cache_path", (path) -> assertThat((String) path)
						.startsWith(this.cache.resolve("timing").resolve("detector").toString()));
				assertThat(described.path("tensorrtCache").isMissingNode() || described.path("tensorrtCache").isNull())
					.isTrue();
				// shown, not prepared: no folder is made for a provider that cannot run
				assertThat(this.cache).isEmptyDirectory();
			});
	}

	@Test
	void whenTheSessionCannotBeCreatedWithTensorrtItIsCreatedWithCudaAndTheStepIsRecorded() {
		String location = ModelFiles.convNet(this.models);
		String unwritable = this.models.resolve("missing-folder").resolve("optimized.onnx").toString();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withUserConfiguration(ProviderSeams.class)
			// stands in for an engine TensorRT cannot build: the session fails to be
			// created
			.withBean(TensorrtProviderInstaller.class,
					() -> (options, trt) -> options.setOptimizedModelFilePath(unwritable))
			.withBean(io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller.class,
					() -> (options, settings) -> {
					})
			.withPropertyValues("onnx.tensorrt.enabled=true", "onnx.tensorrt.engine-cache.enabled=false",
					"onnx.tensorrt.timing-cache.enabled=false", "onnx.models.detector.location=" + location,
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("detector");
				assertThat(model.provider().active()).isEqualTo(OrtProvider.CUDA);
				assertThat(model.provider().requested()).isEqualTo(OrtProvider.TENSOR_RT);
				assertThat(model.provider().fallbackReasons()).singleElement()
					.asString()
					.startsWith("TENSOR_RT: the session cannot be created with it: ");
				// what TensorRT was given, kept for the endpoint, not in force
				assertThat(model.tensorrt()).isNotNull();
				assertThat(model.tensorrt().options()).containsEntry("device_id", "0");
				JsonNode described = EndpointJson.json(new OnnxEndpoint(context, false).model("detector"));
				assertThat(described.path("settings").path("tensorrtActive").asBoolean(true)).isFalse();
				assertThat(described.path("tensorrtCache").isMissingNode() || described.path("tensorrtCache").isNull())
					.isTrue();
			});
	}

	@Test
	void whenTheSessionCannotBeCreatedWithTensorrtAndCudaIsOffFallbackFailStopsStartup() {
		String location = ModelFiles.convNet(this.models);
		String unwritable = this.models.resolve("missing-folder").resolve("optimized.onnx").toString();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withUserConfiguration(ProviderSeams.class)
			.withBean(TensorrtProviderInstaller.class,
					() -> (options, trt) -> options.setOptimizedModelFilePath(unwritable))
			.withPropertyValues("onnx.cuda.enabled=false", "onnx.tensorrt.enabled=true",
					"onnx.tensorrt.engine-cache.enabled=false", "onnx.tensorrt.timing-cache.enabled=false",
					"onnx.models.detector.location=" + location, "onnx.models.detector.warmup.enabled=false")
			.run((context) -> assertThat(StartupFailures.modelException(context))
				.hasMessageContaining("the TensorRT execution provider cannot be added (TENSOR_RT: the session cannot "
						+ "be created with it")
				.hasMessageContaining("CUDA: disabled by onnx.cuda.enabled=false"));
	}

	@Test
	void profileWithAnUnknownInputStopsStartupNamingTheModelThePropertyAndTheInputs() {
		String location = ModelFiles.convNet(this.models);
		this.contextRunner.withPropertyValues(profile(location, "y", "1x3x16x16", "1x3x32x32", "1x3x64x64"))
			.run((context) -> {
				assertThat(StartupFailures.modelException(context)).satisfies((ex) -> {
					assertThat(ex.getModelName()).isEqualTo("detector");
					assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.tensorrt.profile.min.y");
					assertThat(ex).hasMessageContaining("the model has no input 'y'");
					assertThat(ex.getAction()).contains("[x]");
				});
				assertThat(this.sent).isEmpty();
			});
	}

	@Test
	void profileWithTheWrongRankStopsStartup() {
		String location = ModelFiles.convNet(this.models);
		this.contextRunner.withPropertyValues(profile(location, "x", "1x3x16", "1x3x32", "1x3x64"))
			.run((context) -> assertThat(StartupFailures.modelException(context))
				.hasMessageContaining("has rank 3 but input 'x' has rank 4")
				.hasMessageContaining("onnx.models.detector.tensorrt.profile.min.x"));
	}

	@Test
	void badProfileStopsStartupEvenWhenTensorrtIsSkipped() {
		String location = ModelFiles.convNet(this.models);
		List<String> props = new ArrayList<>(List.of(profile(location, "y", "1x3x16x16", "1x3x32x32", "1x3x64x64")));
		props.add("onnx.cuda.fallback=cpu");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withUserConfiguration(ProviderSeams.class)
			.withBean(io.github.onnxgpu.boot.internal.provider.CudaDriverProbe.class, () -> () -> "no NVIDIA driver")
			.withPropertyValues(props.toArray(String[]::new))
			.run((context) -> assertThat(StartupFailures.modelException(context).getProperty())
				.isEqualTo("onnx.models.detector.tensorrt.profile.min.y"));
	}

	@Test
	void everyTensorrtKeyIsKnownToThePropertyNameCheckAndATypoIsNot() {
		String location = ModelFiles.convNet(this.models);
		ApplicationContextRunner checked = this.contextRunner.withConfiguration(
				AutoConfigurations.of(OnnxPropertyNamesAutoConfiguration.class, OnnxAutoConfiguration.class));
		checked.withPropertyValues(properties(location))
			.withPropertyValues("onnx.tensorrt.max-workspace-size=1GB", "onnx.tensorrt.builder-optimization-level=3",
					"onnx.tensorrt.profile-shapes=auto", "onnx.tensorrt.timing-cache.enabled=true",
					"onnx.tensorrt.options.trt_sparsity_enable=1", "onnx.models.detector.tensorrt.fp16=false",
					"onnx.models.detector.tensorrt.engine-cache.enabled=true",
					"onnx.models.detector.tensorrt.profile.min.x=1x3x16x32",
					"onnx.models.detector.tensorrt.profile.opt.x=1x3x32x48",
					"onnx.models.detector.tensorrt.profile.max.x=2x3x32x48")
			.run((context) -> assertThat(context).hasNotFailed());
		checked.withPropertyValues(properties(location))
			.withPropertyValues("onnx.tensorrt.engine-cahce.enabled=false")
			.run((context) -> assertThat(StartupFailures.modelException(context).getMessage())
				.contains("did you mean onnx.tensorrt.engine-cache"));
	}

	private String[] properties(String location) {
		return new String[] { "onnx.cuda.enabled=false", "onnx.tensorrt.enabled=true", "onnx.tensorrt.fp16=true",
				"onnx.tensorrt.engine-cache.directory=" + this.cache,
				"onnx.tensorrt.timing-cache.directory=" + this.cache, "onnx.models.detector.location=" + location,
				"onnx.models.detector.warmup.iterations=1", "onnx.models.detector.warmup.shapes[0].x=1x3x32x48",
				"onnx.models.detector.warmup.shapes[1].x=2x3x16x32" };
	}

	private String[] profile(String location, String input, String min, String opt, String max) {
		return new String[] { "onnx.cuda.enabled=false", "onnx.tensorrt.enabled=true",
				"onnx.tensorrt.engine-cache.enabled=false", "onnx.tensorrt.timing-cache.enabled=false",
				"onnx.models.detector.location=" + location, "onnx.models.detector.warmup.enabled=false",
				"onnx.models.detector.tensorrt.profile.min." + input + "=" + min,
				"onnx.models.detector.tensorrt.profile.opt." + input + "=" + opt,
				"onnx.models.detector.tensorrt.profile.max." + input + "=" + max };
	}

}
