package io.github.onnxgpu.boot.autoconfigure;

import org.junit.jupiter.api.Test;

import io.github.onnxgpu.boot.model.CudaFallback;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Inheritance}.
 */
class InheritanceTests {

	private final OnnxProperties.Warmup shared = new OnnxProperties.Warmup();

	private final OnnxModelProperties.Warmup model = new OnnxModelProperties.Warmup();

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
		OnnxModelProperties.Cuda modelCuda = new OnnxModelProperties.Cuda();
		sharedCuda.setEnabled(false);
		modelCuda.setEnabled(true);
		modelCuda.setFallback(CudaFallback.CPU);
		assertThat(Inheritance.resolve(modelCuda.getEnabled(), sharedCuda.isEnabled())).isTrue();
		assertThat(Inheritance.resolve(new OnnxModelProperties.Cuda().getEnabled(), sharedCuda.isEnabled())).isFalse();
		assertThat(Inheritance.resolve(modelCuda.getFallback(), sharedCuda.getFallback())).isEqualTo(CudaFallback.CPU);
	}

	@Test
	void providerOptionUnsetEverywhereStaysUnset() {
		assertThat(Inheritance.resolve(new OnnxModelProperties.Cuda(), new OnnxProperties.Cuda(),
				CudaOptions::getDeviceId))
			.isNull();
	}

}
