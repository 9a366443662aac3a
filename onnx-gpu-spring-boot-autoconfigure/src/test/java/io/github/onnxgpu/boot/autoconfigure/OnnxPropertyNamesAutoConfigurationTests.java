package io.github.onnxgpu.boot.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.test.StartupFailures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OnnxPropertyNamesAutoConfiguration}: mistyped {@code onnx.*} keys stop
 * start-up naming the closest known key; free keys stay free.
 */
@ExtendWith(OutputCaptureExtension.class)
class OnnxPropertyNamesAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(OnnxPropertyNamesAutoConfiguration.class, OnnxAutoConfiguration.class));

	@Test
	void mistypedModelKeyFailsStartupNamingTheClosestKey() {
		this.contextRunner
			.withPropertyValues("onnx.models.vad.location=classpath:/vad.onnx", "onnx.models.vad.warmup.shape[0].x=1x3")
			.run((context) -> {
				OnnxModelException ex = StartupFailures.modelException(context);
				assertThat(ex.getModelName()).isEqualTo("vad");
				assertThat(ex.getProperty()).isEqualTo("onnx.models.vad.warmup.shape[0].x");
				assertThat(ex.getMessage()).contains("did you mean onnx.models.vad.warmup.shapes?")
					.contains(
							"known below onnx.models.vad.warmup: data, enabled, iterations, max-input-size, max-iterations, "
									+ "on-failure, samples, shapes, steady-tolerance, timeout, values");
			});
	}

	@Test
	void mistypedSharedKeyFailsStartupNamingTheClosestKey() {
		this.contextRunner.withPropertyValues("onnx.warmup.iteratoins=5").run((context) -> {
			OnnxModelException ex = StartupFailures.modelException(context);
			assertThat(ex.getModelName()).isNull();
			assertThat(ex.getProperty()).isEqualTo("onnx.warmup.iteratoins");
			assertThat(ex.getMessage()).contains("did you mean onnx.warmup.iterations?");
		});
	}

	@Test
	void mistypedTopLevelKeyFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.modles.vad.location=classpath:/vad.onnx")
			.run((context) -> assertThat(StartupFailures.modelException(context).getMessage())
				.contains("did you mean onnx.models?"));
	}

	@Test
	void severalUnknownKeysAreAllListed() {
		this.contextRunner.withPropertyValues("onnx.warmup.iteratoins=5", "onnx.cuda.devise-id=1")
			.run((context) -> assertThat(StartupFailures.modelException(context).getMessage())
				.contains("2 unknown configuration keys")
				.contains("onnx.cuda.devise-id is not a known configuration key; did you mean onnx.cuda.device-id?")
				.contains(
						"onnx.warmup.iteratoins is not a known configuration key; did you mean onnx.warmup.iterations?"));
	}

	@Test
	void keyBelowAValueFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.warmup.iterations.first=5")
			.run((context) -> assertThat(StartupFailures.modelException(context).getMessage())
				.contains("onnx.warmup.iterations is a value"));
	}

	@Test
	void listWithoutIndexFailsStartup() {
		this.contextRunner.withPropertyValues("onnx.warmup.requests.path=/x")
			.run((context) -> assertThat(StartupFailures.modelException(context).getMessage())
				.contains("onnx.warmup.requests is a list"));
	}

	@Test
	void freeMapsModelNamesAndEveryKnownKeyAreAccepted() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OnnxPropertyNamesAutoConfiguration.class))
			.withPropertyValues("onnx.cuda.options.some_new_key=1", "onnx.cuda.gpu-mem-limit=1GB",
					"onnx.cuda.cudnn-conv1d-pad-to-nc1d=true", "onnx.cuda.fallback=cpu",
					"onnx.models.My_Model-2.location=classpath:/m.onnx", "onnx.models.m.cuda.options.anything.dotted=1",
					"onnx.models.m.cuda.enabled=false",
					"onnx.models.m.session.config.session.intra_op.allow_spinning=0",
					"onnx.models.m.warmup.shapes[0].any_input=1x2",
					"onnx.models.m.warmup.samples[0].x=classpath:/x.npy", "onnx.warmup.requests[0].path=/p",
					"onnx.warmup.requests[0].headers.X-Anything=1",
					"onnx.warmup.requests[0].headers[Authorization]=token",
					"onnx.warmup.requests[0].expect-status[0]=200", "onnx.warmup.requests[1].content-type=image/png",
					"onnx.native.cache.enabled=false", "onnx.native.cache.directory=/tmp/cache",
					"onnxruntime.native.path=/elsewhere", "other.onnx.key=1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void keysOfAnotherPropertiesClassUnderOnnxAreKnown() {
		this.contextRunner.withUserConfiguration(ExtraPropertiesConfiguration.class)
			.withPropertyValues("onnx.extra.level=3")
			.run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withUserConfiguration(ExtraPropertiesConfiguration.class)
			.withPropertyValues("onnx.extra.levle=3")
			.run((context) -> assertThat(StartupFailures.modelException(context).getMessage())
				.contains("did you mean onnx.extra.level?"));
	}

	@Test
	void unknownKeyFromAnEnvironmentVariableOnlyWarns(CapturedOutput output) {
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
						Map.of("ONNX_ML", "1", "ONNX_CUDA_GPUMEMLIMIT", "1GB", "ONNX_WARMUP_ITERATIONS", "2"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("onnx.ml is not a known configuration key")
					.doesNotContain("onnx.cuda.gpumemlimit is not")
					.doesNotContain("onnx.warmup.iterations is not");
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ExtraProperties.class)
	static class ExtraPropertiesConfiguration {

	}

	@ConfigurationProperties("onnx.extra")
	public static class ExtraProperties {

		private int level;

		public int getLevel() {
			return this.level;
		}

		public void setLevel(int level) {
			this.level = level;
		}

	}

}
