package io.github.onnxgpu.sample.predict;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Choice of the size an image is run at.
 */
class InferenceSizeTests {

	private static final List<InferenceSize> WARMED = List.of(new InferenceSize(256, 256), new InferenceSize(384, 640),
			new InferenceSize(512, 512));

	@Test
	void closestWarmedWhenImageHasWarmedSizePicksIt() {
		assertThat(InferenceSize.closestWarmed(384, 640, WARMED)).isEqualTo(new InferenceSize(384, 640));
	}

	@Test
	void closestWarmedWhenImageIsWidePicksWideShape() {
		assertThat(InferenceSize.closestWarmed(360, 640, WARMED)).isEqualTo(new InferenceSize(384, 640));
	}

	@Test
	void closestWarmedWhenImageIsSmallPicksSmallestShape() {
		assertThat(InferenceSize.closestWarmed(40, 30, WARMED)).isEqualTo(new InferenceSize(256, 256));
	}

	@Test
	void closestWarmedWhenImageIsLargeSquarePicksLargestSquare() {
		assertThat(InferenceSize.closestWarmed(3000, 3000, WARMED)).isEqualTo(new InferenceSize(512, 512));
	}

	@Test
	void nativeSizeRoundsSidesToNearestMultiple() {
		assertThat(InferenceSize.nativeSize(50, 100, 16, 1024)).isEqualTo(new InferenceSize(48, 96));
		assertThat(InferenceSize.nativeSize(57, 100, 16, 1024)).isEqualTo(new InferenceSize(64, 96));
	}

	@Test
	void nativeSizeWhenImageTinyKeepsOneMultiple() {
		assertThat(InferenceSize.nativeSize(3, 5, 16, 1024)).isEqualTo(new InferenceSize(16, 16));
	}

	@Test
	void nativeSizeWhenImageLargeScalesItDownKeepingAspect() {
		assertThat(InferenceSize.nativeSize(1000, 2000, 16, 1024)).isEqualTo(new InferenceSize(512, 1024));
		assertThat(InferenceSize.nativeSize(4000, 4000, 16, 1000)).isEqualTo(new InferenceSize(992, 992));
	}

}
