package io.github.onnxgpu.boot.internal.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TensorrtProfile}: profiles derived from warmup samples in ONNX
 * Runtime's spelling, and explicit profiles checked against the model.
 */
class TensorrtProfileTests {

	@Test
	void oneInputGetsElementWiseMinimumFirstSampleAndElementWiseMaximum() {
		Map<String, long[]> model = Map.of("x", new long[] { -1, 3, -1, -1 });
		TensorrtProfile profile = TensorrtProfile.fromSamples(
				List.of(sample(0, "x", 1, 3, 320, 480), sample(1, "x", 4, 3, 640, 320), sample(2, "x", 2, 3, 256, 512)),
				model);
		assertThat(profile.options()).containsExactly(Map.entry("trt_profile_min_shapes", "x:1x3x256x320"),
				Map.entry("trt_profile_max_shapes", "x:4x3x640x512"),
				Map.entry("trt_profile_opt_shapes", "x:1x3x320x480"));
	}

	@Test
	void severalInputsAreJoinedByCommasInTheModelsOrder() {
		Map<String, long[]> model = new LinkedHashMap<>();
		model.put("input_ids", new long[] { -1, -1 });
		model.put("attention_mask", new long[] { -1, -1 });
		ResolvedShape first = shape(0,
				Map.of("attention_mask", new long[] { 1, 128 }, "input_ids", new long[] { 1, 128 }));
		ResolvedShape second = shape(1,
				Map.of("attention_mask", new long[] { 8, 16 }, "input_ids", new long[] { 8, 16 }));
		TensorrtProfile profile = TensorrtProfile.fromSamples(List.of(first, second), model);
		assertThat(profile.options()).containsEntry("trt_profile_min_shapes", "input_ids:1x16,attention_mask:1x16")
			.containsEntry("trt_profile_max_shapes", "input_ids:8x128,attention_mask:8x128")
			.containsEntry("trt_profile_opt_shapes", "input_ids:1x128,attention_mask:1x128");
	}

	@Test
	void staticInputsAndScalarsGetNoEntry() {
		Map<String, long[]> model = new LinkedHashMap<>();
		model.put("image", new long[] { -1, 3, 224, 224 });
		model.put("scale", new long[] { 1, 2 });
		model.put("threshold", new long[0]);
		ResolvedShape first = shape(0,
				Map.of("image", new long[] { 1, 3, 224, 224 }, "scale", new long[] { 1, 2 }, "threshold", new long[0]));
		ResolvedShape second = shape(1, Map.of("image", new long[] { 16, 3, 224, 224 }, "scale", new long[] { 1, 2 },
				"threshold", new long[0]));
		TensorrtProfile profile = TensorrtProfile.fromSamples(List.of(first, second), model);
		assertThat(profile.min()).containsOnlyKeys("image");
		assertThat(profile.options()).containsEntry("trt_profile_min_shapes", "image:1x3x224x224")
			.containsEntry("trt_profile_max_shapes", "image:16x3x224x224")
			.containsEntry("trt_profile_opt_shapes", "image:1x3x224x224");
	}

	@Test
	void staticModelGetsAnEmptyProfileAndNoOptions() {
		TensorrtProfile profile = TensorrtProfile.fromSamples(List.of(sample(0, "x", 1, 3, 32, 32)),
				Map.of("x", new long[] { 1, 3, 32, 32 }));
		assertThat(profile.isEmpty()).isTrue();
		assertThat(profile.options()).isEmpty();
	}

	@Test
	void singleSampleGivesEqualMinOptAndMax() {
		TensorrtProfile profile = TensorrtProfile.fromSamples(List.of(sample(0, "x", 2, 3, 64, 64)),
				Map.of("x", new long[] { -1, 3, -1, -1 }));
		assertThat(profile.options().values()).containsOnly("x:2x3x64x64");
	}

	@Test
	void explicitProfileWithAnUnknownInputNamesThePropertyAndTheInputs() {
		TensorrtProfile profile = new TensorrtProfile(Map.of("y", new long[] { 1, 3 }),
				Map.of("y", new long[] { 1, 3 }), Map.of("y", new long[] { 1, 3 }));
		assertThatExceptionOfType(OnnxModelException.class).isThrownBy(() -> profile.checkAgainst("detector",
				"onnx.models.detector.tensorrt.profile", Map.of("x", new long[] { -1, 3, -1, -1 })))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("onnx.models.detector.tensorrt.profile.min.y");
				assertThat(ex).hasMessageContaining("the model has no input 'y'");
				assertThat(ex.getAction()).contains("[x]");
			});
	}

	@Test
	void explicitProfileWithTheWrongRankNamesBothRanks() {
		long[] wrong = { 1, 3, 320 };
		TensorrtProfile profile = new TensorrtProfile(Map.of("x", wrong), Map.of("x", wrong), Map.of("x", wrong));
		assertThatExceptionOfType(OnnxModelException.class).isThrownBy(() -> profile.checkAgainst("detector",
				"onnx.models.detector.tensorrt.profile", Map.of("x", new long[] { -1, 3, -1, -1 })))
			.satisfies((ex) -> {
				assertThat(ex.getModelName()).isEqualTo("detector");
				assertThat(ex).hasMessageContaining("has rank 3 but input 'x' has rank 4 [?, 3, ?, ?]");
				assertThat(ex.getAction()).contains("4 dimensions");
			});
	}

	@Test
	void explicitProfileThatChangesAStaticDimensionIsRejected() {
		long[] dims = { 1, 4, 32, 32 };
		TensorrtProfile profile = new TensorrtProfile(Map.of("x", dims), Map.of("x", dims), Map.of("x", dims));
		assertThatExceptionOfType(OnnxModelException.class).isThrownBy(() -> profile.checkAgainst("detector",
				"onnx.models.detector.tensorrt.profile", Map.of("x", new long[] { -1, 3, -1, -1 })))
			.withMessageContaining("fixes it at 3");
	}

	private static ResolvedShape sample(int index, String input, long... dims) {
		return shape(index, Map.of(input, dims));
	}

	private static ResolvedShape shape(int index, Map<String, long[]> dims) {
		return new ResolvedShape(index, dims);
	}

}
