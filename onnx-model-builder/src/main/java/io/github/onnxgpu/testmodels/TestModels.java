package io.github.onnxgpu.testmodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Ready-made ONNX models for tests, the sample app and benchmarks. Every model is
 * generated (nothing is downloaded) and deterministic: weights come from fixed-seed
 * generators.
 */
public final class TestModels {

	/** Embedding width of {@link #embeddingModel()}. */
	static final int EMBEDDING_DIM = 16;

	/** Channels of {@link #sequenceModel()}'s features. */
	static final int SEQUENCE_CHANNELS = 64;

	private static final String LFS_POINTER = """
			version https://git-lfs.github.com/spec/v1
			oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
			size 12345
			""";

	private TestModels() {
	}

	/**
	 * Conv(3&rarr;8, 3x3, bias) + Relu + Conv(8&rarr;1, 3x3, bias), "same" padding. Input
	 * {@code x} FLOAT [N, 3, H, W], output {@code y} FLOAT [N, 1, H, W], all of N, H and
	 * W dynamic.
	 * @return the model bytes
	 */
	public static byte[] convNet() {
		return convNet("conv_net", new Object[] { "N", 3, "H", "W" }, new Object[] { "N", 1, "H", "W" });
	}

	/**
	 * The graph of {@link #convNet()} with the fixed input shape [1, 3, 32, 32] and
	 * output [1, 1, 32, 32].
	 * @return the model bytes
	 */
	public static byte[] staticConvNet() {
		return convNet("static_conv_net", new Object[] { 1, 3, 32, 32 }, new Object[] { 1, 1, 32, 32 });
	}

	/**
	 * Mean-pooled token embeddings: {@code input_ids} and {@code attention_mask} INT64
	 * [N, L] give {@code embedding} FLOAT [N, 16], the sum of the embeddings of unmasked
	 * tokens divided by L.
	 * @return the model bytes
	 */
	public static byte[] embeddingModel() {
		int vocabulary = 100;
		Random random = new Random(7);
		float[] table = ConvLayers.heNormal(random, vocabulary * EMBEDDING_DIM, 2);
		// Opset 17 throughout: Unsqueeze takes axes as an input (13+), ReduceMean as an
		// attribute (< 18).
		return OnnxModelBuilder.graph("embedding")
			.input("input_ids", TensorType.INT64, "N", "L")
			.input("attention_mask", TensorType.INT64, "N", "L")
			.output("embedding", TensorType.FLOAT, "N", EMBEDDING_DIM)
			.initializer("embedding.table", table, vocabulary, EMBEDDING_DIM)
			.initializer("mask.axes", new long[] { 2 }, 1)
			.node("Gather", List.of("embedding.table", "input_ids"), List.of("token_embeddings"))
			.node("Cast", List.of("attention_mask"), List.of("mask_float"),
					Attribute.intValue("to", TensorType.FLOAT.code()))
			.node("Unsqueeze", List.of("mask_float", "mask.axes"), List.of("mask_expanded"))
			.node("Mul", List.of("token_embeddings", "mask_expanded"), List.of("masked_embeddings"))
			.node("ReduceMean", List.of("masked_embeddings"), List.of("embedding"), Attribute.ints("axes", 1),
					Attribute.intValue("keepdims", 0))
			.toByteArray();
	}

	/**
	 * A tiny BERT-like text encoder: {@code input_ids}, {@code attention_mask} and (with
	 * {@code tokenTypeIds}) {@code token_type_ids}, INT64 [batch, sequence], give
	 * {@code last_hidden_state} FLOAT [batch, sequence, hidden]. Each token's state is
	 * its row of a word table (a {@code Gather} on {@code input_ids}, the table
	 * [vocabulary, hidden]), plus its row of a two-row token type table, plus the mean of
	 * the word rows of the sequence's unmasked tokens: so a token's state depends on the
	 * other real tokens and never on a masked one, as in a transformer's attention.
	 * @param vocabulary the rows of the word table
	 * @param hidden the width of a token's state
	 * @param tokenTypeIds whether the model declares {@code token_type_ids}
	 * @return the model bytes
	 */
	public static byte[] textEncoder(int vocabulary, int hidden, boolean tokenTypeIds) {
		Random random = new Random(23);
		OnnxModelBuilder builder = OnnxModelBuilder.graph("text_encoder")
			.input("input_ids", TensorType.INT64, "batch", "sequence")
			.input("attention_mask", TensorType.INT64, "batch", "sequence");
		if (tokenTypeIds) {
			builder.input("token_type_ids", TensorType.INT64, "batch", "sequence");
		}
		builder.output("last_hidden_state", TensorType.FLOAT, "batch", "sequence", hidden)
			.initializer("embeddings.word_embeddings.weight", ConvLayers.heNormal(random, vocabulary * hidden, 2),
					vocabulary, hidden)
			.initializer("mask.axes", new long[] { 2 }, 1)
			.initializer("sequence.axes", new long[] { 1 }, 1)
			.node("Gather", List.of("embeddings.word_embeddings.weight", "input_ids"), List.of("words"))
			.node("Cast", List.of("attention_mask"), List.of("mask_float"),
					Attribute.intValue("to", TensorType.FLOAT.code()))
			.node("Unsqueeze", List.of("mask_float", "mask.axes"), List.of("mask_expanded"))
			.node("Mul", List.of("words", "mask_expanded"), List.of("masked_words"))
			.node("ReduceSum", List.of("masked_words", "sequence.axes"), List.of("word_sum"),
					Attribute.intValue("keepdims", 1))
			.node("ReduceSum", List.of("mask_expanded", "sequence.axes"), List.of("token_count"),
					Attribute.intValue("keepdims", 1))
			.node("Div", List.of("word_sum", "token_count"), List.of("context"));
		if (tokenTypeIds) {
			builder
				.initializer("embeddings.token_type_embeddings.weight", ConvLayers.heNormal(random, 2 * hidden, 2), 2,
						hidden)
				.node("Gather", List.of("embeddings.token_type_embeddings.weight", "token_type_ids"), List.of("types"))
				.node("Add", List.of("words", "types"), List.of("typed_words"))
				.node("Add", List.of("typed_words", "context"), List.of("last_hidden_state"));
		}
		else {
			builder.node("Add", List.of("words", "context"), List.of("last_hidden_state"));
		}
		return builder.toByteArray();
	}

	/**
	 * One Identity per common element type: inputs {@code in_float}, {@code in_float16},
	 * {@code in_double}, {@code in_int8}, {@code in_int16}, {@code in_int32},
	 * {@code in_int64}, {@code in_uint8}, {@code in_bool}, each [N, 4], echoed to
	 * {@code out_float} and so on.
	 * @return the model bytes
	 */
	public static byte[] allTypes() {
		OnnxModelBuilder builder = OnnxModelBuilder.graph("all_types");
		for (TensorType type : List.of(TensorType.FLOAT, TensorType.FLOAT16, TensorType.DOUBLE, TensorType.INT8,
				TensorType.INT16, TensorType.INT32, TensorType.INT64, TensorType.UINT8, TensorType.BOOL)) {
			String suffix = type.name().toLowerCase(Locale.ROOT);
			builder.input("in_" + suffix, type, "N", 4)
				.output("out_" + suffix, type, "N", 4)
				.node("Identity", List.of("in_" + suffix), List.of("out_" + suffix));
		}
		return builder.toByteArray();
	}

	/**
	 * A small U-Net-like segmentation detector with about 2.4 MB of weights:
	 * {@code image} FLOAT [N, 3, H, W] (H and W multiples of 16) gives
	 * {@code probability} FLOAT [N, 1, H, W] in (0, 1).
	 * @return the model bytes
	 */
	public static byte[] detector() {
		return DetectorGraph.build();
	}

	/**
	 * Token embedding (vocabulary 1000, width 64), transposed to channels first, then two
	 * 1-D convolutions (kernel 3) with Relu: {@code tokens} INT64 [N, L] gives
	 * {@code features} FLOAT [N, 64, L].
	 * @return the model bytes
	 */
	public static byte[] sequenceModel() {
		int vocabulary = 1000;
		Random random = new Random(11);
		OnnxModelBuilder builder = OnnxModelBuilder.graph("sequence")
			.input("tokens", TensorType.INT64, "N", "L")
			.output("features", TensorType.FLOAT, "N", SEQUENCE_CHANNELS, "L")
			.initializer("embedding.table", ConvLayers.heNormal(random, vocabulary * SEQUENCE_CHANNELS, 2), vocabulary,
					SEQUENCE_CHANNELS)
			.node("Gather", List.of("embedding.table", "tokens"), List.of("token_embeddings"))
			.node("Transpose", List.of("token_embeddings"), List.of("channels_first"), Attribute.ints("perm", 0, 2, 1));
		ConvLayers layers = new ConvLayers(builder, random);
		String hidden = layers.relu(layers.conv1d("channels_first", SEQUENCE_CHANNELS, SEQUENCE_CHANNELS, 3));
		layers.relu(layers.conv1d(hidden, SEQUENCE_CHANNELS, SEQUENCE_CHANNELS, 3), "features");
		return builder.toByteArray();
	}

	/**
	 * One 1-D convolution (4&rarr;8 channels, kernel 3, bias, "same" padding) written
	 * without a {@code kernel_shape} attribute, so that ONNX Runtime takes the kernel
	 * size from the weight's shape [8, 4, 3]: {@code input} FLOAT [batch, 4, length]
	 * gives {@code output} FLOAT [batch, 8, length], batch and length dynamic.
	 * @return the model bytes
	 * @see #conv1dNetWithKernelShape()
	 */
	public static byte[] conv1dNet() {
		return conv1dNet(false);
	}

	/**
	 * The model of {@link #conv1dNet()} with the attribute {@code kernel_shape: [3]}.
	 * @return the model bytes
	 */
	public static byte[] conv1dNetWithKernelShape() {
		return conv1dNet(true);
	}

	/**
	 * The sample rate {@link #voiceActivityDetector()} accepts.
	 */
	public static final long VAD_SAMPLE_RATE = 16000;

	/**
	 * The inputs of a voice activity detector, with its control input: {@code input}
	 * FLOAT [N, S] (audio samples), {@code state} FLOAT [2, B, 128] (recurrent state
	 * whose batch dimension has its own name, so it cannot be inferred from
	 * {@code input}) and {@code sr}, an INT64 scalar (rank 0), the sample rate. It gives
	 * {@code output} FLOAT [N, 1], the mean of each row, and {@code stateN}, the state
	 * reshaped to [2, B, 128 + sr - 16000]: any sample rate other than 16000 makes that
	 * reshape impossible, so the run fails inside ONNX Runtime as a real detector does
	 * when {@code sr} is zero.
	 * @return the model bytes
	 */
	public static byte[] voiceActivityDetector() {
		return OnnxModelBuilder.graph("voice_activity")
			.input("input", TensorType.FLOAT, "N", "S")
			.input("state", TensorType.FLOAT, 2, "B", 128)
			.input("sr", TensorType.INT64)
			.output("output", TensorType.FLOAT, "N", 1)
			.output("stateN", TensorType.FLOAT, 2, "B", "C")
			.initializer("sr.expected", new long[] { VAD_SAMPLE_RATE })
			.initializer("state.shape", new long[] { 2, -1, 128 }, 3)
			.initializer("state.last", new long[] { 0, 0, 1 }, 3)
			.node("ReduceMean", List.of("input"), List.of("output"), Attribute.ints("axes", 1),
					Attribute.intValue("keepdims", 1))
			.node("Sub", List.of("sr", "sr.expected"), List.of("sr.offset"))
			.node("Mul", List.of("sr.offset", "state.last"), List.of("shape.offset"))
			.node("Add", List.of("state.shape", "shape.offset"), List.of("stateN.shape"))
			.node("Reshape", List.of("state", "stateN.shape"), List.of("stateN"))
			.toByteArray();
	}

	/**
	 * The samples of one audio chunk of {@link #speechModel()}.
	 */
	public static final int SPEECH_CHUNK = 512;

	/**
	 * The hidden size of {@link #speechModel()}'s recurrent state.
	 */
	public static final int SPEECH_HIDDEN = 128;

	/**
	 * A speech model shaped as a streaming voice activity detector is: {@code input}
	 * FLOAT [N, 512] (an audio chunk per sample) through a dense layer into an ONNX
	 * {@code LSTM} of hidden size 128, whose recurrent state {@code state} FLOAT [2, N,
	 * 128] (hidden and cell state) carries the batch in dimension 1; it gives
	 * {@code output} FLOAT [N, 1], a speech probability, and {@code stateN} FLOAT [2, N,
	 * 128], the next state. Run with a state whose dimension 1 differs from the input's
	 * batch, ONNX Runtime's LSTM kernel fails, as a real detector's does. Weights are
	 * fixed (seeded), so runs are reproducible.
	 * @return the model bytes
	 */
	public static byte[] speechModel() {
		Random random = new Random(28);
		int hidden = SPEECH_HIDDEN;
		return OnnxModelBuilder.graph("speech")
			.input("input", TensorType.FLOAT, "N", SPEECH_CHUNK)
			.input("state", TensorType.FLOAT, 2, "N", hidden)
			.output("output", TensorType.FLOAT, "N", 1)
			.output("stateN", TensorType.FLOAT, 2, "N", hidden)
			.initializer("frontend.w", weights(random, SPEECH_CHUNK * hidden, SPEECH_CHUNK), SPEECH_CHUNK, hidden)
			.initializer("lstm.w", weights(random, 4 * hidden * hidden, hidden), 1, 4 * hidden, hidden)
			.initializer("lstm.r", weights(random, 4 * hidden * hidden, hidden), 1, 4 * hidden, hidden)
			.initializer("head.w", weights(random, hidden, hidden), hidden, 1)
			.initializer("axis0", new long[] { 0 }, 1)
			.node("MatMul", List.of("input", "frontend.w"), List.of("features"))
			.node("Relu", List.of("features"), List.of("features.relu"))
			.node("Unsqueeze", List.of("features.relu", "axis0"), List.of("sequence"))
			.node("Split", List.of("state"), List.of("h0", "c0"), Attribute.intValue("axis", 0))
			.node("LSTM", List.of("sequence", "lstm.w", "lstm.r", "", "", "h0", "c0"), List.of("y", "hN", "cN"),
					Attribute.intValue("hidden_size", hidden))
			.node("Concat", List.of("hN", "cN"), List.of("stateN"), Attribute.intValue("axis", 0))
			.node("Squeeze", List.of("hN", "axis0"), List.of("last"))
			.node("MatMul", List.of("last", "head.w"), List.of("logit"))
			.node("Sigmoid", List.of("logit"), List.of("output"))
			.toByteArray();
	}

	private static float[] weights(Random random, int count, int fanIn) {
		float scale = (float) (1 / Math.sqrt(fanIn));
		float[] values = new float[count];
		for (int i = 0; i < count; i++) {
			values[i] = (random.nextFloat() * 2 - 1) * scale;
		}
		return values;
	}

	/**
	 * A model whose run fails for some values of one row: {@code x} FLOAT [N, 4] and
	 * {@code index} INT64 [N, 1] give {@code y} FLOAT [N, 1], each row's element at its
	 * index (ONNX GatherElements). An index outside 0 to 3 fails the whole run inside
	 * ONNX Runtime, whatever the other rows hold.
	 * @return the model bytes
	 */
	public static byte[] rowPicker() {
		return OnnxModelBuilder.graph("row_picker")
			.input("x", TensorType.FLOAT, "N", 4)
			.input("index", TensorType.INT64, "N", 1)
			.output("y", TensorType.FLOAT, "N", 1)
			.node("GatherElements", List.of("x", "index"), List.of("y"), Attribute.intValue("axis", 1))
			.toByteArray();
	}

	/**
	 * A model with a scalar input: {@code x} FLOAT [N, 4] times {@code scale} FLOAT [] (a
	 * scalar) gives {@code y} FLOAT [N, 4].
	 * @return the model bytes
	 */
	public static byte[] scaledByScalar() {
		return OnnxModelBuilder.graph("scaled_by_scalar")
			.input("x", TensorType.FLOAT, "N", 4)
			.input("scale", TensorType.FLOAT)
			.output("y", TensorType.FLOAT, "N", 4)
			.node("Mul", List.of("x", "scale"), List.of("y"))
			.toByteArray();
	}

	/**
	 * A model whose output shape depends on the input values, not only on their shapes:
	 * {@code x} FLOAT [N, 4] gives {@code indices} INT64 [2, nonzero], the indices of its
	 * non-zero elements (ONNX NonZero).
	 * @return the model bytes
	 */
	public static byte[] nonZeroIndices() {
		return OnnxModelBuilder.graph("non_zero_indices")
			.input("x", TensorType.FLOAT, "N", 4)
			.output("indices", TensorType.INT64, 2, "nonzero")
			.node("NonZero", List.of("x"), List.of("indices"))
			.toByteArray();
	}

	/**
	 * The first half of a model: a download or copy that stopped early. ONNX Runtime
	 * rejects it.
	 * @param model a valid model
	 * @return a truncated copy
	 */
	public static byte[] truncated(byte[] model) {
		return Arrays.copyOf(model, model.length / 2);
	}

	/**
	 * The text Git LFS leaves in place of a model when the LFS objects were never pulled.
	 * @return the bytes of a Git LFS pointer file
	 */
	public static byte[] gitLfsPointer() {
		return LFS_POINTER.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Writes {@code detector.onnx}, {@code conv-net.onnx}, {@code embedding.onnx} and
	 * {@code sequence.onnx} into a directory, created if missing.
	 * @param args the target directory as the only argument
	 */
	public static void main(String[] args) {
		if (args.length != 1) {
			// No System.exit: this may run inside the Maven JVM (exec:java).
			throw new IllegalArgumentException("Usage: TestModels <output-directory>");
		}
		Path directory = Path.of(args[0]);
		write(directory.resolve("detector.onnx"), detector());
		write(directory.resolve("conv-net.onnx"), convNet());
		write(directory.resolve("embedding.onnx"), embeddingModel());
		write(directory.resolve("sequence.onnx"), sequenceModel());
	}

	/**
	 * Weights of {@link #convNet()}, exposed to let tests recompute its output in plain
	 * Java.
	 * @return the weights
	 */
	static ConvNetWeights convNetWeights() {
		Random random = new Random(42);
		return new ConvNetWeights(ConvLayers.heNormal(random, 8 * 3 * 3 * 3, 3 * 3 * 3),
				ConvLayers.smallBias(random, 8), ConvLayers.heNormal(random, 8 * 3 * 3, 8 * 3 * 3),
				ConvLayers.smallBias(random, 1));
	}

	/**
	 * Weights of {@link #conv1dNet()}, exposed to let tests recompute its output in plain
	 * Java.
	 * @return the weights
	 */
	static Conv1dNetWeights conv1dNetWeights() {
		Random random = new Random(13);
		return new Conv1dNetWeights(ConvLayers.heNormal(random, 8 * 4 * 3, 4 * 3), ConvLayers.smallBias(random, 8));
	}

	private static byte[] conv1dNet(boolean kernelShape) {
		Conv1dNetWeights weights = conv1dNetWeights();
		List<Attribute> attributes = kernelShape
				? List.of(Attribute.ints("kernel_shape", 3), Attribute.ints("pads", 1, 1))
				: List.of(Attribute.ints("pads", 1, 1));
		return OnnxModelBuilder.graph(kernelShape ? "conv1d_kernel_shape" : "conv1d")
			.input("input", TensorType.FLOAT, "batch", 4, "length")
			.output("output", TensorType.FLOAT, "batch", 8, "length")
			.initializer("conv.weight", weights.weight(), 8, 4, 3)
			.initializer("conv.bias", weights.bias(), 8)
			.node("Conv", List.of("input", "conv.weight", "conv.bias"), List.of("output"),
					attributes.toArray(new Attribute[0]))
			.toByteArray();
	}

	private static byte[] convNet(String graphName, Object[] inputDims, Object[] outputDims) {
		ConvNetWeights weights = convNetWeights();
		OnnxModelBuilder builder = OnnxModelBuilder.graph(graphName)
			.input("x", TensorType.FLOAT, inputDims)
			.output("y", TensorType.FLOAT, outputDims);
		// Weights are passed explicitly, so this generator stays unused.
		ConvLayers layers = new ConvLayers(builder, new Random(0));
		String hidden = layers
			.relu(layers.conv2d("x", "conv1", weights.conv1Weight(), weights.conv1Bias(), 3, 8, 3, 1));
		layers.conv2d(hidden, "y", weights.conv2Weight(), weights.conv2Bias(), 8, 1, 3, 1);
		return builder.toByteArray();
	}

	private static void write(Path file, byte[] model) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.write(file, model);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file, ex);
		}
	}

	/**
	 * Weights of {@link #convNet()} in OIHW order.
	 *
	 * @param conv1Weight [8, 3, 3, 3]
	 * @param conv1Bias [8]
	 * @param conv2Weight [1, 8, 3, 3]
	 * @param conv2Bias [1]
	 */
	record ConvNetWeights(float[] conv1Weight, float[] conv1Bias, float[] conv2Weight, float[] conv2Bias) {
	}

	/**
	 * Weights of {@link #conv1dNet()}.
	 *
	 * @param weight [8, 4, 3] in OIK order
	 * @param bias [8]
	 */
	record Conv1dNetWeights(float[] weight, float[] bias) {
	}

}
