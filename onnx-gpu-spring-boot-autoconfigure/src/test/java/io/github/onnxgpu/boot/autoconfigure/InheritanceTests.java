package io.github.onnxgpu.boot.autoconfigure;

import org.junit.jupiter.api.Test;

import io.github.onnxgpu.boot.model.CudaFallback;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Inheritance}.
 */
class InheritanceTests {

	private final OnnxProperties.Warmup shared = new OnnxProperties.Warmup();

	private final OnnxProperties.ModelWarmup model = new OnnxProperties.ModelWarmup();

	@Test
	void unsetEverywhereIsTheSharedDefault() {
		assertThat(Inheritance.resolve(this.model.getIterations(), this.shared.getIterations())).isEqualTo(3);
	}

	@Test
	void sharedValueIsInheritedByAModelThatLeavesItUnset() {
		this.shared.setIterations(5);
		assertThat(Inheritance.resolve(this.model.getIterations(), this.shared.getIterations())).isEqualTo(5);
	}

	@Test
	void modelValueWinsOverSharedAndDefault() {
		this.shared.setIterations(5);
		this.model.setIterations(7);
		assertThat(Inheritance.resolve(this.model.getIterations(), this.shared.getIterations())).isEqualTo(7);
	}

	@Test
	void modelCanTurnOffWhatIsSharedOnAndTheOtherWayRound() {
		OnnxProperties.Cuda sharedCuda = new OnnxProperties.Cuda();
		OnnxProperties.ModelCuda modelCuda = new OnnxProperties.ModelCuda();
		sharedCuda.setEnabled(false);
		modelCuda.setEnabled(true);
		modelCuda.setFallback(CudaFallback.CPU);
		assertThat(Inheritance.resolve(modelCuda.getEnabled(), sharedCuda.isEnabled())).isTrue();
		assertThat(Inheritance.resolve(new OnnxProperties.ModelCuda().getEnabled(), sharedCuda.isEnabled())).isFalse();
		assertThat(Inheritance.resolve(modelCuda.getFallback(), sharedCuda.getFallback())).isEqualTo(CudaFallback.CPU);
	}

	@Test
	void providerOptionUnsetEverywhereStaysUnset() {
		assertThat(Inheritance.resolve(new OnnxProperties.ModelCuda(), new OnnxProperties.Cuda(),
				CudaOptions::getDeviceId))
			.isNull();
	}

}
