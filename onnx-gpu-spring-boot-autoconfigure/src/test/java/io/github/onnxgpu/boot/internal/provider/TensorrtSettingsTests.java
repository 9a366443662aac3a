package io.github.onnxgpu.boot.internal.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;
import io.github.onnxgpu.boot.model.ProfileShapes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TensorrtSettings#prepare}: the options sent, the cache folders keyed
 * by model, ONNX Runtime version and settings, and the cache's state.
 */
class TensorrtSettingsTests {

	private static final Map<String, long[]> DYNAMIC_X = Map.of("x", new long[] { -1, 3, -1, -1 });

	private static final List<ResolvedShape> SAMPLES = List.of(
			new ResolvedShape(0, Map.of("x", new long[] { 1, 3, 64, 64 })),
			new ResolvedShape(1, Map.of("x", new long[] { 2, 3, 32, 128 })));

	@TempDir
	Path cache;

	@Test
	void sentOptionsHoldTheUsersKeysTheProfileAndTheKeyedCacheFolders() {
		TensorrtSetup setup = settings(Map.of("trt_fp16_enable", "1"), true).prepare("detector", () -> "aa", "1.29.0",
				DYNAMIC_X, SAMPLES);
		Path folder = setup.engineCacheDirectory();
		assertThat(folder.getParent()).isEqualTo(this.cache.resolve("detector").toAbsolutePath());
		assertThat(folder).isDirectory();
		assertThat(setup.options()).containsExactly(Map.entry("device_id", "0"),
				Map.entry("trt_profile_min_shapes", "x:1x3x32x64"), Map.entry("trt_profile_max_shapes", "x:2x3x64x128"),
				Map.entry("trt_profile_opt_shapes", "x:1x3x64x64"), Map.entry("trt_fp16_enable", "1"),
				Map.entry("trt_engine_cache_enable", "1"), Map.entry("trt_engine_cache_path", folder.toString()),
				Map.entry("trt_timing_cache_enable", "1"), Map.entry("trt_timing_cache_path", folder.toString()));
		assertThat(setup.cacheState()).isEqualTo(TensorrtCacheState.BUILT);
	}

	@Test
	void cacheFolderChangesWithTheModelTheOnnxRuntimeVersionAndEngineSettings() {
		Path first = folder(Map.of(), "aa", "1.29.0");
		assertThat(folder(Map.of(), "aa", "1.29.0")).isEqualTo(first);
		assertThat(folder(Map.of(), "bb", "1.29.0")).isNotEqualTo(first);
		assertThat(folder(Map.of(), "aa", "1.30.0")).isNotEqualTo(first);
		assertThat(folder(Map.of("trt_fp16_enable", "1"), "aa", "1.29.0")).isNotEqualTo(first);
	}

	@Test
	void cacheKeyIgnoresWhereTheCachesLive() {
		Map<String, String> options = Map.of("trt_fp16_enable", "1");
		assertThat(TensorrtSettings.key("aa", "1.29.0", options)).isEqualTo(TensorrtSettings.key("aa", "1.29.0",
				Map.of("trt_fp16_enable", "1", "trt_engine_cache_path", "/elsewhere", "trt_timing_cache_enable", "0")));
	}

	@Test
	void anEngineAlreadyInTheFolderIsAHit() throws IOException {
		Path folder = folder(Map.of(), "aa", "1.29.0");
		Files.writeString(folder.resolve("TensorrtExecutionProvider_TRTKernel_graph_1_sm86.engine"), "engine");
		TensorrtSetup setup = settings(Map.of(), true).prepare("detector", () -> "aa", "1.29.0", DYNAMIC_X, SAMPLES);
		assertThat(setup.cacheState()).isEqualTo(TensorrtCacheState.HIT);
	}

	@Test
	void withoutCachesNothingIsCreatedAndTheModelIsNotEvenHashed() throws IOException {
		TensorrtSetup setup = settings(Map.of(), false).prepare("detector", () -> {
			throw new AssertionError("hashed");
		}, "1.29.0", DYNAMIC_X, SAMPLES);
		assertThat(setup.cacheState()).isEqualTo(TensorrtCacheState.DISABLED);
		assertThat(setup.engineCacheDirectory()).isNull();
		assertThat(setup.options()).doesNotContainKeys("trt_engine_cache_enable", "trt_timing_cache_path");
		try (var files = Files.list(this.cache)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void rawOptionsHaveTheLastWordCachePathIncluded() {
		Path own = this.cache.resolve("own");
		TensorrtSetup setup = settings(Map.of("trt_engine_cache_path", own.toString()), true).prepare("detector",
				() -> "aa", "1.29.0", DYNAMIC_X, SAMPLES);
		assertThat(setup.options()).containsEntry("trt_engine_cache_path", own.toString());
		assertThat(setup.engineCacheDirectory()).isEqualTo(own.toAbsolutePath());
	}

	@Test
	void explicitProfileWinsOverWarmupShapesAndNoneSendsNoProfile() {
		TensorrtProfile explicit = new TensorrtProfile(Map.of("x", new long[] { 1, 3, 8, 8 }),
				Map.of("x", new long[] { 1, 3, 16, 16 }), Map.of("x", new long[] { 1, 3, 32, 32 }));
		TensorrtSettings withProfile = new TensorrtSettings(true, 0, Map.of(), false, null, false, null,
				ProfileShapes.AUTO, explicit);
		assertThat(withProfile.prepare("detector", () -> "aa", "1.29.0", DYNAMIC_X, SAMPLES).options())
			.containsEntry("trt_profile_opt_shapes", "x:1x3x16x16");
		TensorrtSettings none = new TensorrtSettings(true, 0, Map.of(), false, null, false, null, ProfileShapes.NONE,
				null);
		assertThat(none.prepare("detector", () -> "aa", "1.29.0", DYNAMIC_X, SAMPLES).options())
			.containsOnlyKeys("device_id");
	}

	@Test
	void defaultCacheRootIsALastingFolderNotTheTemporaryOne() {
		assertThat(TensorrtSettings.defaultCacheRoot().toString()).endsWith("onnx-gpu-spring-boot/tensorrt")
			.doesNotStartWith(System.getProperty("java.io.tmpdir"));
	}

	private Path folder(Map<String, String> options, String sha256, String version) {
		return settings(options, true).prepare("detector", () -> sha256, version, DYNAMIC_X, SAMPLES)
			.engineCacheDirectory();
	}

	private TensorrtSettings settings(Map<String, String> options, boolean caches) {
		return new TensorrtSettings(true, 0, options, caches, this.cache, caches, this.cache, ProfileShapes.AUTO, null);
	}

}
