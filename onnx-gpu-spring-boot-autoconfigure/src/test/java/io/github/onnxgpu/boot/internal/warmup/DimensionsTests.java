package io.github.onnxgpu.boot.internal.warmup;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Dimensions}: the one grammar of dimensions, read and written.
 */
class DimensionsTests {

	@Test
	void readsPositiveNumbersSeparatedByXOrCommasWithSpaces() {
		assertThat(Dimensions.parse("1x3x640x640")).containsExactly(1, 3, 640, 640);
		assertThat(Dimensions.parse(" 1 X 3 x 16 ")).containsExactly(1, 3, 16);
		assertThat(Dimensions.parse("1,3,16,16")).containsExactly(1, 3, 16, 16);
		assertThat(Dimensions.parse("7")).containsExactly(7);
	}

	@Test
	void readsScalarInAnyCase() {
		assertThat(Dimensions.parse("scalar")).isEmpty();
		assertThat(Dimensions.parse(" Scalar ")).isEmpty();
	}

	@Test
	void refusesWhatIsNotPositiveWholeNumbers() {
		for (String text : new String[] { "", "x", "1x3xHx64", "1x3x0x64", "1x3x-8x64", "1x+3", "1x3x", "x1x3", "1xx3",
				"1.5x2", "99999999999999999999", "1;3" }) {
			assertThat(Dimensions.parse(text)).as(text).isNull();
		}
	}

	@Test
	void writesWhatItReads() {
		for (String text : new String[] { "1x3x640x640", "scalar", "5" }) {
			assertThat(Dimensions.format(Dimensions.parse(text))).isEqualTo(text);
		}
		Map<String, long[]> inputs = new LinkedHashMap<>();
		inputs.put("x", new long[] { 1, 3, 8, 8 });
		inputs.put("sr", new long[0]);
		assertThat(Dimensions.format(inputs)).isEqualTo("{x=1x3x8x8, sr=scalar}");
	}

}
