package io.github.onnxgpu.testmodels;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Loads and runs every generated model with ONNX Runtime (CPU), so that the hand-written
 * protobuf encoding is checked by the real consumer.
 */
class TestModelsTests {

	private static final OrtEnvironment env = OrtEnvironment.getEnvironment();

	/** Half-precision bit patterns of 1.0, -2.0, 0.5 and 65504 (the largest float16). */
	private static final short[] FLOAT16_BITS = { 0x3C00, (short) 0xC000, 0x3800, 0x7BFF };

	@Test
	void convNetDeclaresDynamicBatchHeightAndWidth() throws OrtException {
		try (OrtSession session = open(TestModels.convNet())) {
			assertThat(session.getInputNames()).containsExactly("x");
			assertThat(session.getOutputNames()).containsExactly("y");
			assertTensorInfo(session.getInputInfo(), "x", OnnxJavaType.FLOAT, -1, 3, -1, -1);
			assertTensorInfo(session.getOutputInfo(), "y", OnnxJavaType.FLOAT, -1, 1, -1, -1);
			assertThat(tensorInfo(session.getInputInfo(), "x").getDimensionNames()).containsExactly("N", "", "H", "W");
		}
	}

	@Test
	void convNetRunsWithDynamicHeightAndWidth() throws OrtException {
		try (OrtSession session = open(TestModels.convNet())) {
			assertThat(run(session, Map.of("x", floats(randomFloats(3 * 8 * 10, 1), 1, 3, 8, 10))).shape())
				.containsExactly(1, 1, 8, 10);
			assertThat(run(session, Map.of("x", floats(randomFloats(2 * 3 * 5 * 7, 2), 2, 3, 5, 7))).shape())
				.containsExactly(2, 1, 5, 7);
		}
	}

	@Test
	void convNetOutputMatchesDirectJavaConvolution() throws OrtException {
		int height = 6;
		int width = 7;
		float[] image = randomFloats(3 * height * width, 3);
		TestModels.ConvNetWeights weights = TestModels.convNetWeights();
		float[] hidden = convSame3x3(image, 3, height, width, weights.conv1Weight(), weights.conv1Bias(), 8);
		for (int i = 0; i < hidden.length; i++) {
			hidden[i] = Math.max(0, hidden[i]);
		}
		float[] expected = convSame3x3(hidden, 8, height, width, weights.conv2Weight(), weights.conv2Bias(), 1);
		try (OrtSession session = open(TestModels.convNet())) {
			float[] actual = run(session, Map.of("x", floats(image, 1, 3, height, width))).values();
			// An inner pixel and a corner pixel (which depends on the zero padding).
			assertThat(actual[3 * width + 4]).isCloseTo(expected[3 * width + 4], within(1e-4f));
			assertThat(actual[0]).isCloseTo(expected[0], within(1e-4f));
			assertThat(actual).containsExactly(expected, within(1e-4f));
		}
	}

	@Test
	void staticConvNetDeclaresFixedShape() throws OrtException {
		try (OrtSession session = open(TestModels.staticConvNet())) {
			assertTensorInfo(session.getInputInfo(), "x", OnnxJavaType.FLOAT, 1, 3, 32, 32);
			assertTensorInfo(session.getOutputInfo(), "y", OnnxJavaType.FLOAT, 1, 1, 32, 32);
			assertThat(run(session, Map.of("x", floats(randomFloats(3 * 32 * 32, 4), 1, 3, 32, 32))).shape())
				.containsExactly(1, 1, 32, 32);
		}
	}

	@Test
	void embeddingModelRunsWithDynamicBatchAndLength() throws OrtException {
		try (OrtSession session = open(TestModels.embeddingModel())) {
			assertThat(session.getInputNames()).containsExactlyInAnyOrder("input_ids", "attention_mask");
			assertTensorInfo(session.getInputInfo(), "input_ids", OnnxJavaType.INT64, -1, -1);
			assertTensorInfo(session.getInputInfo(), "attention_mask", OnnxJavaType.INT64, -1, -1);
			assertTensorInfo(session.getOutputInfo(), "embedding", OnnxJavaType.FLOAT, -1, 16);
			assertThat(runEmbedding(session, new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 99 },
					new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 }, 2, 5)
				.shape()).containsExactly(2, 16);
			assertThat(runEmbedding(session, new long[] { 0, 50, 99 }, new long[] { 1, 1, 1 }, 3, 1).shape())
				.containsExactly(3, 16);
		}
	}

	@Test
	void embeddingModelIgnoresMaskedTokens() throws OrtException {
		try (OrtSession session = open(TestModels.embeddingModel())) {
			long[] mask = { 1, 0, 0 };
			float[] first = runEmbedding(session, new long[] { 7, 1, 2 }, mask, 1, 3).values();
			float[] second = runEmbedding(session, new long[] { 7, 9, 9 }, mask, 1, 3).values();
			float[] nothing = runEmbedding(session, new long[] { 7, 9, 9 }, new long[3], 1, 3).values();
			assertThat(first).containsExactly(second);
			assertThat(first).isNotEqualTo(new float[16]);
			assertThat(nothing).containsOnly(0f);
		}
	}

	@Test
	void allTypesDeclaresOneInputAndOutputPerType() throws OrtException {
		Map<String, OnnxJavaType> types = allTypes();
		try (OrtSession session = open(TestModels.allTypes())) {
			assertThat(session.getInputNames()).hasSize(types.size());
			for (Map.Entry<String, OnnxJavaType> type : types.entrySet()) {
				assertTensorInfo(session.getInputInfo(), "in_" + type.getKey(), type.getValue(), -1, 4);
				assertTensorInfo(session.getOutputInfo(), "out_" + type.getKey(), type.getValue(), -1, 4);
			}
		}
	}

	@Test
	void allTypesEchoesEveryTypeAtTwoBatchSizes() throws OrtException {
		try (OrtSession session = open(TestModels.allTypes())) {
			for (int rows : new int[] { 1, 3 }) {
				Map<String, OnnxTensor> inputs = allTypesInputs(rows);
				try (OrtSession.Result result = session.run(inputs)) {
					for (Map.Entry<String, OnnxJavaType> type : allTypes().entrySet()) {
						OnnxTensor input = inputs.get("in_" + type.getKey());
						OnnxTensor output = (OnnxTensor) result.get("out_" + type.getKey()).orElseThrow();
						assertThat(output.getInfo().type).as(type.getKey()).isEqualTo(type.getValue());
						assertThat(output.getInfo().getShape()).as(type.getKey()).containsExactly(rows, 4);
						assertThat(bytes(output)).as(type.getKey()).containsExactly(bytes(input));
					}
				}
				finally {
					inputs.values().forEach(OnnxTensor::close);
				}
			}
		}
	}

	@Test
	void detectorHasAFewMegabytesOfWeights() {
		assertThat(TestModels.detector().length).isBetween(1_000_000, 8_000_000);
	}

	@Test
	void detectorRunsAtTwoResolutions() throws OrtException {
		try (OrtSession session = open(TestModels.detector())) {
			assertTensorInfo(session.getInputInfo(), "image", OnnxJavaType.FLOAT, -1, 3, -1, -1);
			assertTensorInfo(session.getOutputInfo(), "probability", OnnxJavaType.FLOAT, -1, 1, -1, -1);
			Output small = run(session, Map.of("image", floats(randomFloats(3 * 32 * 32, 5), 1, 3, 32, 32)));
			Output wide = run(session, Map.of("image", floats(randomFloats(2 * 3 * 48 * 64, 6), 2, 3, 48, 64)));
			assertThat(small.shape()).containsExactly(1, 1, 32, 32);
			assertThat(wide.shape()).containsExactly(2, 1, 48, 64);
			for (float probability : wide.values()) {
				assertThat(probability).isBetween(0f, 1f);
			}
		}
	}

	@Test
	void sequenceModelRunsWithDynamicBatchAndLength() throws OrtException {
		try (OrtSession session = open(TestModels.sequenceModel())) {
			assertTensorInfo(session.getInputInfo(), "tokens", OnnxJavaType.INT64, -1, -1);
			assertTensorInfo(session.getOutputInfo(), "features", OnnxJavaType.FLOAT, -1, 64, -1);
			assertThat(runTokens(session, new long[] { 1, 2, 3, 500, 999, 0, 42 }, 1, 7).shape()).containsExactly(1, 64,
					7);
			Output batch = runTokens(session, new long[] { 4, 5, 6, 7, 8, 9 }, 2, 3);
			assertThat(batch.shape()).containsExactly(2, 64, 3);
			// Relu output: never negative, and not all zero.
			for (float value : batch.values()) {
				assertThat(value).isFinite().isGreaterThanOrEqualTo(0f);
			}
			assertThat(batch.values()).isNotEqualTo(new float[batch.values().length]);
		}
	}

	@Test
	void conv1dNetDeclaresDynamicBatchAndLength() throws OrtException {
		for (byte[] model : List.of(TestModels.conv1dNet(), TestModels.conv1dNetWithKernelShape())) {
			try (OrtSession session = open(model)) {
				assertTensorInfo(session.getInputInfo(), "input", OnnxJavaType.FLOAT, -1, 4, -1);
				assertTensorInfo(session.getOutputInfo(), "output", OnnxJavaType.FLOAT, -1, 8, -1);
				assertThat(tensorInfo(session.getInputInfo(), "input").getDimensionNames()).containsExactly("batch", "",
						"length");
			}
		}
	}

	@Test
	void conv1dNetWithAndWithoutKernelShapeMatchDirectJavaConvolution() throws OrtException {
		int batch = 2;
		int length = 5;
		float[] input = randomFloats(batch * 4 * length, 8);
		TestModels.Conv1dNetWeights weights = TestModels.conv1dNetWeights();
		float[] expected = convSame1d(input, batch, 4, length, weights.weight(), weights.bias(), 8);
		for (byte[] model : List.of(TestModels.conv1dNet(), TestModels.conv1dNetWithKernelShape())) {
			try (OrtSession session = open(model)) {
				Output output = run(session, Map.of("input", floats(input, batch, 4, length)));
				assertThat(output.shape()).containsExactly(batch, 8, length);
				assertThat(output.values()).containsExactly(expected, within(1e-4f));
			}
		}
	}

	@Test
	void voiceActivityDetectorHasAScalarSampleRateAndRunsOnlyAt16000() throws OrtException {
		try (OrtSession session = open(TestModels.voiceActivityDetector())) {
			assertTensorInfo(session.getInputInfo(), "sr", OnnxJavaType.INT64);
			assertTensorInfo(session.getInputInfo(), "state", OnnxJavaType.FLOAT, 2, -1, 128);
			assertThat(tensorInfo(session.getInputInfo(), "state").getDimensionNames()).containsExactly("", "B", "");
			assertThat(runVad(session, TestModels.VAD_SAMPLE_RATE).shape()).containsExactly(1, 1);
			assertThatThrownBy(() -> runVad(session, 0)).isInstanceOf(OrtException.class);
			assertThatThrownBy(() -> runVad(session, 8000)).isInstanceOf(OrtException.class);
		}
	}

	@Test
	void truncatedModelIsRejected() {
		assertThatThrownBy(() -> open(TestModels.truncated(TestModels.convNet()))).isInstanceOf(OrtException.class);
		assertThatThrownBy(() -> open(TestModels.truncated(TestModels.detector()))).isInstanceOf(OrtException.class);
	}

	@Test
	void gitLfsPointerIsRejected() {
		String pointer = new String(TestModels.gitLfsPointer(), StandardCharsets.US_ASCII);
		assertThat(pointer).startsWith("version https://git-lfs.github.com/spec/v1\noid sha256:")
			.endsWith("\nsize 12345\n")
			.matches("(?s).*sha256:[0-9a-f]{64}\n.*");
		assertThatThrownBy(() -> open(TestModels.gitLfsPointer())).isInstanceOf(OrtException.class);
	}

	@Test
	void modelsAreDeterministic() {
		assertThat(TestModels.convNet()).isEqualTo(TestModels.convNet());
		assertThat(TestModels.sequenceModel()).isEqualTo(TestModels.sequenceModel());
	}

	@Test
	void builderEncodesNegativeIntsAndFloatAttributes() throws OrtException {
		byte[] model = OnnxModelBuilder.graph("attributes")
			.input("x", TensorType.FLOAT, 2, 3)
			.output("y", TensorType.FLOAT, 2)
			.node("LeakyRelu", List.of("x"), List.of("leaky"), Attribute.floatValue("alpha", 0.5f))
			.node("ReduceMean", List.of("leaky"), List.of("mean"), Attribute.ints("axes", -1),
					Attribute.intValue("keepdims", 0))
			.node("Constant", List.of(), List.of("offset"), Attribute.floats("value_floats", 10f, -10f))
			.node("Add", List.of("mean", "offset"), List.of("y"))
			.toByteArray();
		try (OrtSession session = open(model)) {
			float[] y = run(session, Map.of("x", floats(new float[] { 3, -6, 0, 1, 2, 3 }, 2, 3))).values();
			// Row means after LeakyRelu(0.5): (3 - 3 + 0) / 3 = 0 and (1 + 2 + 3) / 3 =
			// 2.
			assertThat(y).containsExactly(new float[] { 10f, -8f }, within(1e-6f));
		}
	}

	@Test
	void builderWritesFileCreatingParentDirectories(@TempDir Path directory) throws IOException {
		OnnxModelBuilder builder = OnnxModelBuilder.graph("identity")
			.input("x", TensorType.FLOAT, "N")
			.output("y", TensorType.FLOAT, "N")
			.node("Identity", List.of("x"), List.of("y"));
		Path file = builder.writeTo(directory.resolve("a/b/identity.onnx"));
		assertThat(Files.readAllBytes(file)).isEqualTo(builder.toByteArray());
	}

	@Test
	void builderRejectsInvalidDimensionsAndInitializers() {
		OnnxModelBuilder builder = OnnxModelBuilder.graph("invalid");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.input("x", TensorType.FLOAT, 1.5));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.initializer("w", new float[3], 2, 2));
	}

	@Test
	void mainWritesTheSampleModels(@TempDir Path directory) throws IOException {
		Path target = directory.resolve("models");
		TestModels.main(new String[] { target.toString() });
		assertThat(Files.readAllBytes(target.resolve("conv-net.onnx"))).isEqualTo(TestModels.convNet());
		assertThat(Files.readAllBytes(target.resolve("embedding.onnx"))).isEqualTo(TestModels.embeddingModel());
		assertThat(Files.readAllBytes(target.resolve("sequence.onnx"))).isEqualTo(TestModels.sequenceModel());
		assertThat(Files.size(target.resolve("detector.onnx"))).isEqualTo(TestModels.detector().length);
	}

	private static OrtSession open(byte[] model) throws OrtException {
		return env.createSession(model, new OrtSession.SessionOptions());
	}

	private static TensorInfo tensorInfo(Map<String, NodeInfo> infos, String name) {
		assertThat(infos).containsKey(name);
		return (TensorInfo) infos.get(name).getInfo();
	}

	private static void assertTensorInfo(Map<String, NodeInfo> infos, String name, OnnxJavaType type, long... shape) {
		TensorInfo info = tensorInfo(infos, name);
		assertThat(info.type).as(name).isEqualTo(type);
		assertThat(info.getShape()).as(name).containsExactly(shape);
	}

	/** Runs a model with a single FLOAT output, closing the inputs. */
	private static Output run(OrtSession session, Map<String, OnnxTensor> inputs) throws OrtException {
		try (OrtSession.Result result = session.run(inputs)) {
			OnnxTensor output = (OnnxTensor) result.get(0);
			FloatBuffer buffer = output.getFloatBuffer();
			float[] values = new float[buffer.remaining()];
			buffer.get(values);
			return new Output(output.getInfo().getShape(), values);
		}
		finally {
			inputs.values().forEach(OnnxTensor::close);
		}
	}

	private static Output runEmbedding(OrtSession session, long[] ids, long[] mask, long rows, long length)
			throws OrtException {
		return run(session, Map.of("input_ids", longs(ids, rows, length), "attention_mask", longs(mask, rows, length)));
	}

	private static Output runTokens(OrtSession session, long[] tokens, long rows, long length) throws OrtException {
		return run(session, Map.of("tokens", longs(tokens, rows, length)));
	}

	private static Output runVad(OrtSession session, long sampleRate) throws OrtException {
		Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
		inputs.put("input", floats(randomFloats(512, 3), 1, 512));
		inputs.put("state", floats(new float[2 * 128], 2, 1, 128));
		inputs.put("sr", OnnxTensor.createTensor(env, sampleRate));
		return run(session, inputs);
	}

	private static OnnxTensor floats(float[] values, long... shape) throws OrtException {
		return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
	}

	private static OnnxTensor longs(long[] values, long... shape) throws OrtException {
		return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
	}

	private static float[] randomFloats(int count, long seed) {
		Random random = new Random(seed);
		float[] values = new float[count];
		for (int i = 0; i < count; i++) {
			values[i] = (float) random.nextGaussian();
		}
		return values;
	}

	/**
	 * Plain 3x3 convolution with padding 1 and stride 1 over one CHW image, weights in
	 * OIHW order.
	 */
	private static float[] convSame3x3(float[] input, int inChannels, int height, int width, float[] weight,
			float[] bias, int outChannels) {
		float[] output = new float[outChannels * height * width];
		for (int o = 0; o < outChannels; o++) {
			for (int y = 0; y < height; y++) {
				for (int x = 0; x < width; x++) {
					double sum = bias[o];
					for (int c = 0; c < inChannels; c++) {
						for (int ky = 0; ky < 3; ky++) {
							for (int kx = 0; kx < 3; kx++) {
								int iy = y + ky - 1;
								int ix = x + kx - 1;
								if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
									sum += weight[((o * inChannels + c) * 3 + ky) * 3 + kx]
											* input[(c * height + iy) * width + ix];
								}
							}
						}
					}
					output[(o * height + y) * width + x] = (float) sum;
				}
			}
		}
		return output;
	}

	/**
	 * Plain 1-D convolution, kernel 3, padding 1 and stride 1 over NCL input, weights in
	 * OIK order.
	 */
	private static float[] convSame1d(float[] input, int batch, int inChannels, int length, float[] weight,
			float[] bias, int outChannels) {
		float[] output = new float[batch * outChannels * length];
		for (int n = 0; n < batch; n++) {
			for (int o = 0; o < outChannels; o++) {
				for (int x = 0; x < length; x++) {
					double sum = bias[o];
					for (int c = 0; c < inChannels; c++) {
						for (int k = 0; k < 3; k++) {
							int ix = x + k - 1;
							if (ix >= 0 && ix < length) {
								sum += weight[(o * inChannels + c) * 3 + k] * input[(n * inChannels + c) * length + ix];
							}
						}
					}
					output[(n * outChannels + o) * length + x] = (float) sum;
				}
			}
		}
		return output;
	}

	/**
	 * Input and output name suffixes of {@link TestModels#allTypes()} and the Java type
	 * ONNX Runtime reports.
	 */
	private static Map<String, OnnxJavaType> allTypes() {
		Map<String, OnnxJavaType> types = new LinkedHashMap<>();
		types.put("float", OnnxJavaType.FLOAT);
		types.put("float16", OnnxJavaType.FLOAT16);
		types.put("double", OnnxJavaType.DOUBLE);
		types.put("int8", OnnxJavaType.INT8);
		types.put("int16", OnnxJavaType.INT16);
		types.put("int32", OnnxJavaType.INT32);
		types.put("int64", OnnxJavaType.INT64);
		types.put("uint8", OnnxJavaType.UINT8);
		types.put("bool", OnnxJavaType.BOOL);
		return types;
	}

	private static Map<String, OnnxTensor> allTypesInputs(int rows) throws OrtException {
		int count = rows * 4;
		long[] shape = { rows, 4 };
		float[] floats = new float[count];
		short[] halves = new short[count];
		double[] doubles = new double[count];
		byte[] int8 = new byte[count];
		short[] int16 = new short[count];
		int[] int32 = new int[count];
		long[] int64 = new long[count];
		byte[] uint8 = new byte[count];
		byte[] bools = new byte[count];
		for (int i = 0; i < count; i++) {
			floats[i] = i * 0.5f - 1;
			halves[i] = FLOAT16_BITS[i % FLOAT16_BITS.length];
			doubles[i] = i * 0.25 - 3;
			int8[i] = (byte) (i * 37 - 100);
			int16[i] = (short) (i * 1000 - 5000);
			int32[i] = i * 100_000 - 7;
			int64[i] = i * 10_000_000_000L - 1;
			uint8[i] = (byte) (250 - i);
			bools[i] = (byte) ((i % 3 == 0) ? 1 : 0);
		}
		Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
		inputs.put("in_float", OnnxTensor.createTensor(env, FloatBuffer.wrap(floats), shape));
		inputs.put("in_float16", OnnxTensor.createTensor(env, ShortBuffer.wrap(halves), shape, OnnxJavaType.FLOAT16));
		inputs.put("in_double", OnnxTensor.createTensor(env, DoubleBuffer.wrap(doubles), shape));
		inputs.put("in_int8", OnnxTensor.createTensor(env, ByteBuffer.wrap(int8), shape));
		inputs.put("in_int16", OnnxTensor.createTensor(env, ShortBuffer.wrap(int16), shape));
		inputs.put("in_int32", OnnxTensor.createTensor(env, IntBuffer.wrap(int32), shape));
		inputs.put("in_int64", OnnxTensor.createTensor(env, LongBuffer.wrap(int64), shape));
		inputs.put("in_uint8", OnnxTensor.createTensor(env, ByteBuffer.wrap(uint8), shape, OnnxJavaType.UINT8));
		inputs.put("in_bool", OnnxTensor.createTensor(env, ByteBuffer.wrap(bools), shape, OnnxJavaType.BOOL));
		return inputs;
	}

	/** The raw element bytes of a tensor, whatever its type. */
	private static byte[] bytes(OnnxTensor tensor) {
		ByteBuffer buffer = tensor.getByteBuffer();
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	private record Output(long[] shape, float[] values) {
	}

}
