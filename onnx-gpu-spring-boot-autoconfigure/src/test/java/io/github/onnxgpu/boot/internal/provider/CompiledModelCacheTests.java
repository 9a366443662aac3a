package io.github.onnxgpu.boot.internal.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ai.onnxruntime.OrtEnvironment.OrtCompiledModelCompatibility;
import ai.onnxruntime.OrtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.test.EndpointJson;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests the compiled-model (EP-context) cache: its decisions through the compile and
 * compatibility seams (the CPU provider makes no EP-context models and has no
 * compatibility information), and the whole path on the CPU provider, whose compile
 * writes the model unchanged.
 */
class CompiledModelCacheTests {

	@TempDir
	Path cache;

	@TempDir
	Path models;

	private final List<Path> compiled = new ArrayList<>();

	private final CompiledModelCache.Compiler compiler = (output) -> {
		this.compiled.add(output);
		Files.writeString(output, "compiled " + this.compiled.size());
	};

	@Test
	void anEmptyCacheCompilesTheModelIntoItsOwnFolder() throws IOException {
		Path directory = directory(Map.of());
		CompiledModelCache.Prepared prepared = CompiledModelCache.prepare("m", directory, this::unexpected,
				this.compiler);
		assertThat(prepared.state()).isEqualTo(CompiledModelState.BUILT);
		assertThat(prepared.model()).isEqualTo(directory.resolve(CompiledModelCache.MODEL_FILE))
			.hasContent("compiled 1");
		assertThat(prepared.model()).startsWith(this.cache);
		// written under another name, then moved
		assertThat(this.compiled).singleElement().isNotEqualTo(prepared.model());
		try (Stream<Path> files = Files.list(directory)) {
			assertThat(files).containsExactly(prepared.model());
		}
	}

	@Test
	void aCompiledModelThatFitsIsReusedWithoutCompiling() throws IOException {
		Path directory = built("info-v1");
		List<String> asked = new ArrayList<>();
		CompiledModelCache.Prepared prepared = CompiledModelCache.prepare("m", directory, (info) -> {
			asked.add(info);
			return OrtCompiledModelCompatibility.EP_SUPPORTED_OPTIMAL;
		}, this.compiler);
		assertThat(prepared.state()).isEqualTo(CompiledModelState.HIT);
		assertThat(prepared.compatibility()).isEqualTo(OrtCompiledModelCompatibility.EP_SUPPORTED_OPTIMAL);
		assertThat(asked).containsExactly("info-v1");
		assertThat(this.compiled).hasSize(1);
		assertThat(prepared.model()).hasContent("compiled 1");
	}

	@Test
	void aCompiledModelThatPrefersRecompilationIsCompiledAgainAndReplaced() throws IOException {
		assertRecompiled(OrtCompiledModelCompatibility.EP_SUPPORTED_PREFER_RECOMPILATION);
	}

	@Test
	void anUnsupportedCompiledModelIsCompiledAgainAndReplaced() throws IOException {
		assertRecompiled(OrtCompiledModelCompatibility.EP_UNSUPPORTED);
	}

	@Test
	void aProviderThatDoesNotCheckCompatibilityGetsItsCompiledModelReused() throws IOException {
		Path directory = built("info");
		assertThat(CompiledModelCache
			.prepare("m", directory, (info) -> OrtCompiledModelCompatibility.EP_NOT_APPLICABLE, this.compiler)
			.state()).isEqualTo(CompiledModelState.HIT);
		// and without compatibility information at all
		Files.delete(directory.resolve(CompiledModelCache.COMPATIBILITY_FILE));
		assertThat(CompiledModelCache.prepare("m", directory, this::unexpected, this.compiler).state())
			.isEqualTo(CompiledModelState.HIT);
		assertThat(this.compiled).hasSize(1);
	}

	@Test
	void aFailedCompileStopsWithThePropertyAndLeavesNoFile() throws IOException {
		Path directory = directory(Map.of());
		assertThatExceptionOfType(OnnxModelException.class)
			.isThrownBy(() -> CompiledModelCache.prepare("m", directory, this::unexpected, (output) -> {
				Files.writeString(output, "half");
				throw new OrtException("Error code - ORT_FAIL - message: no EP context");
			}))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("onnx.models.m.execution-provider.compile");
				assertThat(ex.getProblem()).contains("no EP context");
			});
		try (Stream<Path> files = Files.list(directory)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void everySettingThatChangesTheCompiledModelHasItsOwnFolder() {
		ExecutionDevice gpu0 = new ExecutionDevice("P", "V", "GPU", "NVIDIA", 0x10de, 0);
		ExecutionDevice gpu1 = new ExecutionDevice("P", "V", "GPU", "NVIDIA", 0x10de, 1);
		Path base = CompiledModelCache.directory(this.cache, "m", "sha", "1.29.0", "P", List.of(gpu0), Map.of());
		assertThat(base.getParent()).isEqualTo(this.cache.resolve("m"));
		assertThat(List.of(
				CompiledModelCache.directory(this.cache, "m", "sha2", "1.29.0", "P", List.of(gpu0), Map.of()),
				CompiledModelCache.directory(this.cache, "m", "sha", "1.30.0", "P", List.of(gpu0), Map.of()),
				CompiledModelCache.directory(this.cache, "m", "sha", "1.29.0", "Q", List.of(gpu0), Map.of()),
				CompiledModelCache.directory(this.cache, "m", "sha", "1.29.0", "P", List.of(gpu1), Map.of()),
				CompiledModelCache.directory(this.cache, "m", "sha", "1.29.0", "P", List.of(gpu0), Map.of("a", "1"))))
			.doesNotContain(base)
			.doesNotHaveDuplicates();
		assertThat(CompiledModelCache.directory(this.cache, "m", "sha", "1.29.0", "P", List.of(gpu0), Map.of()))
			.isEqualTo(base);
	}

	@Test
	void onTheCpuProviderTheFirstStartCompilesAndTheSecondReusesBesideNothingOfTheUsers() throws IOException {
		String location = ModelFiles.convNet(this.models);
		ApplicationContextRunner runner = OnnxContextRunners.cpuOnly()
			.withPropertyValues("onnx.warmup.enabled=false", "onnx.models.m.location=" + location,
					"onnx.models.m.execution-provider.name=CPUExecutionProvider",
					"onnx.models.m.execution-provider.compile=true",
					"onnx.models.m.execution-provider.compiled-model-directory=" + this.cache);
		List<String> states = new ArrayList<>();
		for (int start = 0; start < 2; start++) {
			runner.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("m");
				CompiledModelCache.Prepared prepared = model.provider().executionProvider().compiled();
				assertThat(prepared.model()).startsWith(this.cache.resolve("m")).isRegularFile();
				JsonNode compiledModel = EndpointJson.json(new OnnxEndpoint(context, false).model("m"))
					.get("runsOn")
					.get("compiledModel");
				assertThat(compiledModel.get("directory").asString()).isEqualTo(prepared.directory().toString());
				states.add(compiledModel.get("state").asString());
			});
		}
		assertThat(states).containsExactly("BUILT", "HIT");
		try (Stream<Path> files = Files.list(this.models)) {
			assertThat(files).singleElement().isEqualTo(this.models.resolve("conv-net.onnx").toAbsolutePath());
		}
	}

	private void assertRecompiled(OrtCompiledModelCompatibility answer) throws IOException {
		Path directory = built("old-driver");
		CompiledModelCache.Prepared prepared = CompiledModelCache.prepare("m", directory, (info) -> answer,
				this.compiler);
		assertThat(prepared.state()).isEqualTo(CompiledModelState.RECOMPILED);
		assertThat(prepared.compatibility()).isEqualTo(answer);
		assertThat(prepared.model()).hasContent("compiled 2");
		// the old information went with the old model; the new one is kept once loaded
		assertThat(directory.resolve(CompiledModelCache.COMPATIBILITY_FILE)).doesNotExist();
		CompiledModelCache.keepCompatibility(prepared, Map.of("ep_compatibility_info.P", "new-driver"), "P");
		assertThat(directory.resolve(CompiledModelCache.COMPATIBILITY_FILE)).hasContent("new-driver");
	}

	private Path built(String info) throws IOException {
		Path directory = directory(Map.of());
		CompiledModelCache.Prepared prepared = CompiledModelCache.prepare("m", directory, this::unexpected,
				this.compiler);
		CompiledModelCache.keepCompatibility(prepared, Map.of("ep_compatibility_info.P", info), "P");
		return directory;
	}

	private Path directory(Map<String, String> options) {
		return CompiledModelCache.directory(this.cache, "m", "sha", "1.29.0", "P", List.of(), options);
	}

	private OrtCompiledModelCompatibility unexpected(String info) {
		throw new AssertionError("compatibility asked of " + info);
	}

}
