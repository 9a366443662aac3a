package io.github.onnxgpu.boot.test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;

/**
 * Context runners that tests of the auto-configuration share.
 */
public final class OnnxContextRunners {

	private OnnxContextRunners() {
	}

	/**
	 * A runner with {@link OnnxAutoConfiguration} and the CUDA provider off, so that
	 * models are created on the CPU without an attempt to load CUDA.
	 * @return a new runner
	 */
	public static ApplicationContextRunner cpuOnly() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class))
			.withPropertyValues("onnx.cuda.enabled=false");
	}

}
