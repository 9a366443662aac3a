package io.github.onnxgpu.boot.actuate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

import io.github.onnxgpu.boot.actuate.OnnxDescriptors.CandidateDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ModelDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.NativeLibrariesDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ProviderDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.SampleDescriptor;
import io.github.onnxgpu.boot.actuate.OnnxDescriptors.TuningDescriptor;
import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult;
import io.github.onnxgpu.boot.internal.provider.CudaDriverProbe;
import io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller;
import io.github.onnxgpu.boot.internal.tuning.TuningStatus;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.GpuAvailability;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.ModelServer;
import io.github.onnxgpu.boot.test.ProviderLibrary;
import io.github.onnxgpu.boot.test.ProviderSeams;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OnnxEndpoint}.
 */
class OnnxEndpointTests {

	@TempDir
	Path models;

	@TempDir
	Path cache;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
		.withUserConfiguration(ProviderSeams.class);

	@Test
	void listsTheDevicesOnnxRuntimeDiscoversWithTheCpuAmongThem() {
		this.contextRunner.withPropertyValues("onnx.cuda.enabled=false").run((context) -> {
			OnnxEndpoint endpoint = new OnnxEndpoint(context, false);
			assertThat(endpoint.onnx().devices()).anySatisfy((device) -> {
				assertThat(device.provider()).isEqualTo("CPUExecutionProvider");
				assertThat(device.type()).isEqualTo("CPU");
				assertThat(device.vendor()).isNotBlank();
				assertThat(device.metadata()).isNotNull();
			});
		});
	}

	@Test
	void providersSayWhatTheOnnxRuntimeArtifactHasAndWhatLoadsOnThisHost() throws Exception {
		// read from the jar, not from ONNX Runtime's list: the GPU artifact ships the
		// provider libraries, the CPU one does not (both Surefire executions run this)
		boolean gpuArtifact = ProviderLibrary.CUDA.isShipped();
		assertThat(ProviderLibrary.TENSORRT.isShipped()).isEqualTo(gpuArtifact);
		this.contextRunner.withPropertyValues("onnx.cuda.enabled=false").run((context) -> {
			OnnxEndpoint endpoint = new OnnxEndpoint(context, false);
			List<ProviderDescriptor> providers = endpoint.onnx().providers();
			assertThat(providers).extracting(ProviderDescriptor::name).containsExactly("CPU", "CUDA", "TENSOR_RT");
			assertThat(providers.get(0)).isEqualTo(new ProviderDescriptor("CPU", true, true, null));
			assertProvider(providers.get(1), gpuArtifact, GpuAvailability.cudaLoads(), GpuAvailability.failure());
			assertProvider(providers.get(2), gpuArtifact, GpuAvailability.tensorrtLoads(),
					GpuAvailability.tensorrtFailure());
			String json = JsonMapper.builder().build().writeValueAsString(endpoint.onnx());
			assertThat(json).contains("\"providers\":[{\"name\":\"CPU\",\"compiledIn\":true,\"loadable\":true,"
					+ "\"reason\":null},{\"name\":\"CUDA\",\"compiledIn\":" + gpuArtifact);
		});
	}

	@Test
	void withoutAnNvidiaDriverCudaAndTensorrtAreNotLoadableWithTheProbesReasonAndNotTried() throws Exception {
		boolean gpuArtifact = ProviderLibrary.CUDA.isShipped();
		List<String> asked = new ArrayList<>();
		CudaDriverProbe noDriver = () -> {
			asked.add("probe");
			return "no NVIDIA driver on this host (test)";
		};
		this.contextRunner.withPropertyValues("onnx.cuda.enabled=false").run((context) -> {
			OnnxEndpoint endpoint = new OnnxEndpoint(context, noDriver);
			List<ProviderDescriptor> providers = endpoint.onnx().providers();
			assertThat(providers.get(0)).isEqualTo(new ProviderDescriptor("CPU", true, true, null));
			for (ProviderDescriptor provider : providers.subList(1, 3)) {
				assertThat(provider.compiledIn()).as(provider.name()).isEqualTo(gpuArtifact);
				assertThat(provider.loadable()).as(provider.name()).isFalse();
				// the GPU artifact's providers are not added (which would unpack their
				// libraries): the probe's reason stands in for ONNX Runtime's
				assertThat(provider.reason()).as(provider.name())
					.isEqualTo(gpuArtifact ? "no NVIDIA driver on this host (test)"
							: "not in this ONNX Runtime artifact: depend on com.microsoft.onnxruntime:onnxruntime_gpu");
			}
			assertThat(endpoint.onnx().providers()).isEqualTo(providers);
			assertThat(asked).as("probed once, when the list is first asked for").hasSize(1);
		});
	}

	private static void assertProvider(ProviderDescriptor provider, boolean gpuArtifact, boolean loads,
			String failure) {
		assertThat(provider.compiledIn()).as(provider.name()).isEqualTo(gpuArtifact);
		if (!gpuArtifact) {
			assertThat(provider.loadable()).isFalse();
			assertThat(provider.reason()).contains("not in this ONNX Runtime artifact", "onnxruntime_gpu");
		}
		else if (loads) {
			assertThat(provider.loadable()).isTrue();
			assertThat(provider.reason()).isNull();
		}
		else {
			// on a host without a GPU: ONNX Runtime's reason, without its prefix
			assertThat(provider.loadable()).as(provider.name()).isFalse();
			assertThat(provider.reason()).isNotBlank().doesNotContain("[ONNXRuntimeError]");
			assertThat(failure).contains(provider.reason());
		}
	}

	@Test
	void describesTuningWithEveryCandidateAndTheChosenCandidatesSettings() {
		this.contextRunner
			.withPropertyValues("onnx.cuda.enabled=false",
					"onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.iterations=2", "onnx.models.detector.warmup.max-iterations=2",
					"onnx.models.detector.warmup.shapes[0].x=1x3x16x16", "onnx.models.detector.tuning.enabled=true",
					"onnx.models.detector.tuning.runs=5", "onnx.models.detector.tuning.cache.directory=" + this.cache,
					"onnx.models.detector.tuning.candidates[0].session.intra-op-threads=1",
					"onnx.models.detector.tuning.candidates[1].session.intra-op-threads=2")
			.run((context) -> {
				OnnxEndpoint endpoint = new OnnxEndpoint(context, false);
				TuningDescriptor pending = endpoint.model("detector").tuning();
				assertThat(pending.status()).isEqualTo(TuningStatus.PENDING);
				assertThat(pending.candidates()).extracting(CandidateDescriptor::settings)
					.containsExactly(Map.of("session.intra-op-threads", "1"), Map.of("session.intra-op-threads", "2"));
				ModelFiles.publishReady(context.getSourceApplicationContext());
				ModelDescriptor model = endpoint.model("detector");
				TuningDescriptor tuning = model.tuning();
				assertThat(tuning.status()).isEqualTo(TuningStatus.TUNED);
				assertThat(tuning.chosen()).isIn(0, 1);
				assertThat(tuning.tuningMillis()).isPositive();
				assertThat(tuning.cache().directory()).isEqualTo(this.cache.toString());
				assertThat(tuning.cache().hit()).isFalse();
				assertThat(tuning.candidates()).allSatisfy((candidate) -> {
					assertThat(candidate.error()).isNull();
					assertThat(candidate.sumP50Millis()).isPositive();
					assertThat(candidate.warmupMillis()).isPositive();
					assertThat(candidate.samples()).singleElement().satisfies((sample) -> {
						assertThat(sample.inputs().get("x")).containsExactly(1, 3, 16, 16);
						assertThat(sample.p50Millis()).isLessThanOrEqualTo(sample.p90Millis());
					});
				});
				assertThat(model.settings().session()).containsEntry("intra_op_threads", tuning.chosen() + 1);
				String json = JsonMapper.builder().build().writeValueAsString(model);
				assertThat(json).contains("\"tuning\":{\"status\":\"TUNED\",\"chosen\":" + tuning.chosen())
					.contains("\"cache\":{\"directory\":");
			});
	}

	@Test
	void describesAModelThatIsNotTunedAsDisabled() {
		this.contextRunner
			.withPropertyValues("onnx.cuda.enabled=false",
					"onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				TuningDescriptor tuning = new OnnxEndpoint(context, false).model("detector").tuning();
				assertThat(tuning.status()).isEqualTo(TuningStatus.DISABLED);
				assertThat(tuning.chosen()).isNull();
				assertThat(tuning.candidates()).isEmpty();
				assertThat(tuning.cache().hit()).isFalse();
			});
	}

	@Test
	void describesWarmupPerShapeWithEveryIteration() {
		this.contextRunner.withPropertyValues("onnx.cuda.enabled=false",
				"onnx.models.detector.location=" + ModelFiles.convNet(this.models),
				"onnx.models.detector.warmup.iterations=3", "onnx.models.detector.warmup.max-iterations=3",
				"onnx.models.detector.warmup.shapes[0].x=1x3x16x16",
				"onnx.models.detector.warmup.shapes[1].x=1x3x32x24", "onnx.models.detector.session.intra-op-threads=1")
			.run((context) -> {
				OnnxEndpoint endpoint = new OnnxEndpoint(context, false);
				assertThat(endpoint.model("detector").status()).isEqualTo(ModelStatus.LOADING);
				assertThat(endpoint.model("detector").warmup()).isNull();
				ModelFiles.publishReady(context.getSourceApplicationContext());
				ModelDescriptor model = endpoint.model("detector");
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
				assertThat(model.provider()).isEqualTo("CPU");
				assertThat(model.requestedProvider()).isEqualTo("CPU");
				assertThat(model.fallbackReason()).isNull();
				assertThat(model.fallbackReasons()).isEmpty();
				assertThat(model.tensorrtCache()).isNull();
				assertThat(model.settings().tensorrt()).isNull();
				assertThat(model.settings().tensorrtActive()).isNull();
				assertThat(model.location()).startsWith("file:").endsWith("conv-net.onnx");
				assertThat(model.sessionCreationMillis()).isPositive();
				assertThat(model.providerSetupMillis()).isNotNegative().isLessThan(model.sessionCreationMillis());
				assertThat(model.warmup().error()).isNull();
				assertThat(model.warmup().durationMillis()).isPositive();
				assertThat(model.warmup().samples()).hasSize(2);
				SampleDescriptor second = model.warmup().samples().get(1);
				assertThat(second.inputs().get("x")).containsExactly(1, 3, 32, 24);
				assertThat(second.iterationsMillis()).hasSize(3);
				assertThat(second.firstMillis()).isEqualTo(second.iterationsMillis().get(0));
				assertThat(second.lastMillis()).isEqualTo(second.iterationsMillis().get(2));
				assertThat(model.settings().cuda()).isNull();
				assertThat(model.settings().session()).containsEntry("intra_op_threads", 1);
				assertThat(model.outputs().get("y").type()).isEqualTo("FLOAT");
				assertThat(model.outputs().get("y").shape()).containsExactly(-1, 1, -1, -1);
			});
	}

	@Test
	void locationIsShownWithCredentialsMasked() {
		try (ModelServer server = ModelServer.start().serve("/models/det.onnx", TestModels.convNet())) {
			this.contextRunner
				.withPropertyValues("onnx.cuda.enabled=false", "onnx.models.detector.warmup.enabled=false",
						"onnx.models.detector.location=" + server.url("user:secret", "/models/det.onnx?token=s3cr3t"))
				.run((context) -> {
					ModelDescriptor model = new OnnxEndpoint(context, false).model("detector");
					assertThat(model.status()).isEqualTo(ModelStatus.NOT_WARMED);
					assertThat(model.location()).isEqualTo(server.url("user:******", "/models/det.onnx?token=******"));
					assertThat(new OnnxEndpoint(context, false).onnx().models().get("detector").location())
						.doesNotContain("secret", "s3cr3t");
				});
		}
	}

	@Test
	void describesCudaSettingsSentAndInForce() {
		this.contextRunner.withBean(CudaProviderInstaller.class, () -> (options, settings) -> {
		})
			.withPropertyValues("onnx.cuda.cudnn-conv-algo-search=HEURISTIC", "onnx.cuda.gpu-mem-limit=4GB",
					"onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				ModelDescriptor model = new OnnxEndpoint(context, false).model("detector");
				assertThat(model.provider()).isEqualTo("CUDA");
				assertThat(model.settings().cuda()).containsExactly(Map.entry("cudnn_conv_algo_search", "HEURISTIC"),
						Map.entry("gpu_mem_limit", "4294967296"));
				assertThat(model.settings().cudaEffective()).containsEntry("cudnn_conv_algo_search", "HEURISTIC")
					.containsEntry("gpu_mem_limit", "4294967296")
					.containsEntry("arena_extend_strategy", "kNextPowerOfTwo")
					.containsEntry("cudnn_conv_use_max_workspace", "1");
			});
	}

	@Test
	void afterFallbackShowsRequestedCudaSettingsAndTheReason() {
		this.contextRunner.withBean(CudaProviderInstaller.class, () -> (options, settings) -> {
			throw new ai.onnxruntime.OrtException("no CUDA here");
		})
			.withPropertyValues("onnx.cuda.fallback=cpu", "onnx.cuda.probe=false",
					"onnx.cuda.cudnn-conv-algo-search=EXHAUSTIVE",
					"onnx.models.detector.location=" + ModelFiles.convNet(this.models),
					"onnx.models.detector.warmup.enabled=false")
			.run((context) -> {
				ModelDescriptor model = new OnnxEndpoint(context, false).model("detector");
				assertThat(model.provider()).isEqualTo("CPU");
				assertThat(model.requestedProvider()).isEqualTo("CUDA");
				assertThat(model.fallbackReason()).isEqualTo("no CUDA here");
				assertThat(model.status()).isEqualTo(ModelStatus.NOT_WARMED);
				assertThat(model.settings().cuda()).containsEntry("cudnn_conv_algo_search", "EXHAUSTIVE");
				assertThat(model.settings().cudaEffective()).isNull();
			});
	}

	@Test
	void nativeLibrariesWithoutCacheHasEveryKeyAsNull() {
		// the actuator leaves nulls out by default: the documented keys must stay
		JsonMapper mapper = JsonMapper.builder()
			.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(Include.NON_NULL))
			.build();
		String json = mapper.writeValueAsString(OnnxDescriptorMapper.nativeLibraries(null, null));
		assertThat(json)
			.isEqualTo("{\"path\":null,\"cache\":null,\"cacheHit\":null,\"cacheReason\":null,\"cacheMillis\":null}");
	}

	@Test
	void nativeLibrariesDescribesTheCache() {
		NativeLibrariesDescriptor described = OnnxDescriptorMapper.nativeLibraries("/cache/ort",
				new NativeLibraryCacheResult(NativeLibraryCacheResult.Status.HIT, Path.of("/cache/ort"),
						"complete cache found", Duration.ofMillis(3)));
		assertThat(described).isEqualTo(new NativeLibrariesDescriptor("/cache/ort", NativeLibraryCacheResult.Status.HIT,
				true, "complete cache found", 3.0));
	}

}
