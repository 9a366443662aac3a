package io.github.onnxgpu.boot.internal.warmup;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.actuate.OnnxEndpoint;
import io.github.onnxgpu.boot.internal.metrics.OnnxMetrics;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.OnnxWarmupRunner;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.test.EndpointJson;
import io.github.onnxgpu.boot.test.ModelFiles;
import io.github.onnxgpu.boot.test.OnnxContextRunners;
import io.github.onnxgpu.boot.test.StartupFailures;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for warming models with control inputs: a voice activity detector whose scalar
 * int64 {@code sr} must be 16000 and whose recurrent {@code state} cannot be inferred,
 * values for such inputs, scalars in the endpoint and metrics, and the steady-state runs.
 */
class ControlInputWarmupTests {

	private static final String VAD = "onnx.models.vad.";

	@TempDir
	Path models;

	private final ApplicationContextRunner contextRunner = OnnxContextRunners.cpuOnly();

	@Test
	void warmupWithoutASampleRateFailsStartupWithOnnxRuntimesReason() {
		this.contextRunner
			.withPropertyValues(vad(VAD + "warmup.shapes[0].input=1x512", VAD + "warmup.shapes[0].state=2x1x128"))
			.run((context) -> assertThatExceptionOfType(OnnxModelException.class)
				.isThrownBy(() -> context.getBean(OnnxWarmupRunner.class).warmUpAll())
				.withMessageContaining("ONNX model 'vad'")
				.withMessageContaining("sample 0 {input=1x512, state=2x1x128, sr=scalar} failed")
				.withMessageContaining("Reshape"));
	}

	@Test
	void warmupWithASampleRateValueWarmsTheDetectorAndShowsTheScalar() {
		this.contextRunner
			.withPropertyValues(vad(VAD + "warmup.shapes[0].input=1x512", VAD + "warmup.shapes[0].state=2x1x128",
					VAD + "warmup.shapes[1].input=2x1024", VAD + "warmup.shapes[1].state=2x2x128",
					VAD + "warmup.values.sr=16000"))
			.run((context) -> {
				ManagedModel model = warmedUp(context);
				assertThat(model.warmupResult().error()).isNull();
				assertThat(model.status()).isEqualTo(ModelStatus.READY);
				assertThat(model.warmupPlan().values().values()).containsEntry("sr", 16000L);
				OnnxEndpoint endpoint = new OnnxEndpoint(context, false);
				assertThat(EndpointJson.map(EndpointJson.json(endpoint.onnx()).path("models"))).containsKey("vad");
				JsonNode first = EndpointJson.json(endpoint.model("vad")).path("warmup").path("samples").get(0);
				assertThat(EndpointJson.longs(first.path("inputs").path("sr"))).isEmpty();
				assertThat(EndpointJson.longs(first.path("inputs").path("state"))).containsExactly(2L, 1L, 128L);
				assertThat(first.path("iterationsMillis").size()).isBetween(3, 20);
				assertThat(first.path("steady").asBoolean()).isEqualTo(model.warmupResult().samples().get(0).steady());
				MeterRegistry meters = new SimpleMeterRegistry();
				new OnnxMetrics(context.getBean(ManagedModelRegistry.class)).bindTo(meters);
				assertThat(meters.get(OnnxMetrics.WARMUP_SAMPLE_LAST).timeGauges())
					.extracting((gauge) -> gauge.getId().getTag("shape"))
					.containsExactlyInAnyOrder("input:1x512,state:2x1x128,sr:scalar",
							"input:2x1024,state:2x2x128,sr:scalar");
			});
	}

	@Test
	void sharedValueAppliesToTheModelsThatHaveTheInput() {
		this.contextRunner
			.withPropertyValues(vad("onnx.warmup.values.sr=16000", VAD + "warmup.shapes[0].input=1x512",
					VAD + "warmup.shapes[0].state=2x1x128", VAD + "warmup.shapes[0].sr=scalar",
					"onnx.models.conv.location=" + ModelFiles.convNet(this.models),
					"onnx.models.conv.warmup.shapes[0].x=1x3x8x8"))
			.run((context) -> {
				context.getBean(OnnxWarmupRunner.class).warmUpAll();
				ManagedModelRegistry registry = context.getBean(ManagedModelRegistry.class);
				assertThat(registry.get("vad").status()).isEqualTo(ModelStatus.READY);
				assertThat(registry.get("conv").status()).isEqualTo(ModelStatus.READY);
			});
	}

	@Test
	void stateThatCannotBeInferredGetsAHintFromTheSamplesBatch() {
		this.contextRunner.withPropertyValues(vad(VAD + "warmup.shapes[0].input=1x512", VAD + "warmup.values.sr=16000"))
			.run((context) -> {
				OnnxModelException failure = StartupFailures.modelException(context);
				assertThat(failure.getProperty()).isEqualTo(VAD + "warmup.shapes[0].state");
				assertThat(failure.getAction()).contains(VAD + "warmup.shapes[0].state=2x1x128 if its dimension 1")
					.contains("2x?x128")
					.doesNotContain("64");
			});
	}

	@Test
	void fractionForAnInt64ValueFailsStartup() {
		assertValueFailure(
				vad(VAD + "warmup.shapes[0].input=1x512", VAD + "warmup.shapes[0].state=2x1x128",
						VAD + "warmup.values.sr=1.5"),
				"vad", VAD + "warmup.values.sr", "not a whole number", "a whole number");
	}

	@Test
	void valueOutsideUint8FailsStartup() {
		assertValueFailure(allTypes("onnx.models.all.warmup.values.in_uint8=300"), "all",
				"onnx.models.all.warmup.values.in_uint8", "outside the type's range 0 to 255",
				"a whole number from 0 to 255");
	}

	@Test
	void textForAFloatValueFailsStartup() {
		assertValueFailure(allTypes("onnx.models.all.warmup.values.in_float=abc"), "all",
				"onnx.models.all.warmup.values.in_float", "'abc' does not fit input 'in_float' of type float",
				"a number");
	}

	@Test
	void valueForAnInputTheModelLacksFailsStartup() {
		assertValueFailure(allTypes("onnx.models.all.warmup.values.rate=1"), "all",
				"onnx.models.all.warmup.values.rate", "has no input 'rate'", "in_float");
	}

	@Test
	void valuesFillEveryElementOfTheirTypes() {
		this.contextRunner
			.withPropertyValues(allTypes("onnx.models.all.warmup.values.in_uint8=255",
					"onnx.models.all.warmup.values.in_bool=true", "onnx.models.all.warmup.values.in_float16=0.5",
					"onnx.models.all.warmup.values.in_int8=-128", "onnx.models.all.warmup.values.in_double=2.5"))
			.run((context) -> {
				ManagedModel model = context.getBean(ManagedModelRegistry.class).get("all");
				assertThat(model.warmupPlan().values().values()).containsEntry("in_uint8", (byte) -1)
					.containsEntry("in_bool", true)
					.containsEntry("in_float16", (short) 0x3800)
					.containsEntry("in_int8", (byte) -128)
					.containsEntry("in_double", 2.5);
				context.getBean(OnnxWarmupRunner.class).warmUpAll();
				assertThat(model.warmupResult().error()).isNull();
			});
	}

	@Test
	void sampleRateWrittenAsAShapeSaysWhereTheValueGoes() {
		assertValueFailure(
				vad(VAD + "warmup.shapes[0].input=1x512", VAD + "warmup.shapes[0].state=2x1x128",
						VAD + "warmup.shapes[0].sr=16000"),
				"vad", VAD + "warmup.shapes[0].sr", "has rank 1 but input 'sr' has rank 0",
				"set " + VAD + "warmup.values.sr=16000");
	}

	@Test
	void emptyShapeForAScalarSaysHowToWriteIt() {
		assertValueFailure(
				vad(VAD + "warmup.shapes[0].input=1x512", VAD + "warmup.shapes[0].state=2x1x128",
						VAD + "warmup.shapes[0].sr="),
				"vad", VAD + "warmup.shapes[0].sr", "not all positive", VAD + "warmup.values.sr");
	}

	@Test
	void everySampleRunsAtLeastTheMinimumAndReportsWhetherItIsSteady() {
		this.contextRunner
			.withPropertyValues("onnx.models.conv.location=" + ModelFiles.convNet(this.models),
					"onnx.models.conv.warmup.shapes[0].x=1x3x16x16", "onnx.models.conv.warmup.iterations=2",
					"onnx.models.conv.warmup.max-iterations=12", "onnx.models.conv.warmup.steady-tolerance=0.5")
			.run((context) -> {
				context.getBean(OnnxWarmupRunner.class).warmUpAll();
				ShapeTimings sample = context.getBean(ManagedModelRegistry.class)
					.get("conv")
					.warmupResult()
					.samples()
					.get(0);
				assertThat(sample.iterations()).hasSizeBetween(3, 12);
				assertThat(sample.steady()).isEqualTo(
						sample.iterations().size() < 12 || new SteadyState(2, 12, 0.5).isSteady(sample.iterations()));
			});
	}

	@Test
	void badSteadyToleranceFailsStartup() {
		assertValueFailure(allTypes("onnx.models.all.warmup.steady-tolerance=-0.1"), "all",
				"onnx.models.all.warmup.steady-tolerance", "fraction of 0 or more", "0.1 for 10%");
	}

	private String[] vad(String... more) {
		String location = ModelFiles.write(this.models, "vad.onnx", TestModels.voiceActivityDetector());
		String[] all = new String[more.length + 1];
		all[0] = VAD + "location=" + location;
		System.arraycopy(more, 0, all, 1, more.length);
		return all;
	}

	private String[] allTypes(String... more) {
		String location = ModelFiles.write(this.models, "all.onnx", TestModels.allTypes());
		String[] all = new String[more.length + 2];
		all[0] = "onnx.models.all.location=" + location;
		all[1] = "onnx.models.all.warmup.shapes[0].in_float=1x4";
		System.arraycopy(more, 0, all, 2, more.length);
		return all;
	}

	private void assertValueFailure(String[] properties, String model, String property, String problem, String fix) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			OnnxModelException failure = StartupFailures.modelException(context);
			assertThat(failure.getModelName()).isEqualTo(model);
			assertThat(failure.getProperty()).isEqualTo(property);
			assertThat(failure).hasMessageContaining(problem);
			assertThat(failure.getAction()).contains(fix);
		});
	}

	private static ManagedModel warmedUp(AssertableApplicationContext context) {
		context.getBean(OnnxWarmupRunner.class).warmUpAll();
		return context.getBean(ManagedModelRegistry.class).get("vad");
	}

}
