package io.github.onnxgpu.boot.internal.diagnostics;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class EditDistanceTests {

	@ParameterizedTest
	@CsvSource({ "shape, shapes, 1", "iteratoins, iterations, 2", "kitten, sitting, 3", "'', abc, 3", "same, same, 0",
			"flaw, lawn, 2" })
	void betweenCountsInsertionsDeletionsAndSubstitutions(String a, String b, int distance) {
		assertThat(EditDistance.between(a, b)).isEqualTo(distance);
		assertThat(EditDistance.between(b, a)).isEqualTo(distance);
	}

}
