package io.github.onnxgpu.boot.internal.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.TensorInfo;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.embedding.EmbeddingPooling;
import io.github.onnxgpu.boot.internal.session.LocationMasking;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.model.OnnxInference;

/**
 * Turns texts into vectors with one model: tokenizes them (DJL's Hugging Face tokenizers,
 * truncating at {@code max-length}), pads each to the smallest sequence bucket that holds
 * it, runs each bucket's texts through {@link OnnxInference} in chunks of warmed batch
 * sizes (so that a batched model stacks them with other callers' runs of the same bucket,
 * and no run meets a cold shape), then pools the output over the attention mask and
 * normalises. Thread-safe.
 */
public final class TextEmbedder implements AutoCloseable {

	private final EmbeddingSettings settings;

	private final HuggingFaceTokenizer tokenizer;

	private final OnnxInference inference;

	private final OrtEnvironment environment;

	private final String output;

	private final Set<String> requestedOutputs;

	private final boolean tokenTypeIds;

	private final OnnxJavaType idType;

	private final List<Integer> chunkSizes;

	private volatile int dimensions;

	private final LongAdder texts = new LongAdder();

	private final LongAdder tokens = new LongAdder();

	private TextEmbedder(EmbeddingSettings settings, HuggingFaceTokenizer tokenizer, OnnxInference inference,
			OrtEnvironment environment, String output, boolean tokenTypeIds, OnnxJavaType idType,
			List<Integer> chunkSizes, int dimensions) {
		this.settings = settings;
		this.tokenizer = tokenizer;
		this.inference = inference;
		this.environment = environment;
		this.output = output;
		this.requestedOutputs = Set.of(output);
		this.tokenTypeIds = tokenTypeIds;
		this.idType = idType;
		this.chunkSizes = chunkSizes;
		this.dimensions = dimensions;
	}

	/**
	 * Check a loaded model against its embedding settings and load the tokenizer.
	 * @param settings the settings
	 * @param model the loaded model
	 * @param inference runs the model
	 * @param environment creates the input tensors
	 * @return the embedder
	 * @throws OnnxModelException when the tokenizer, the model or the settings do not fit
	 * together
	 */
	public static TextEmbedder create(EmbeddingSettings settings, ManagedModel model, OnnxInference inference,
			OrtEnvironment environment) {
		String name = settings.modelName();
		settings.checkInputs(model.inputs().keySet());
		OnnxJavaType idType = idType(settings, model.inputs());
		String output = output(settings, model.outputs());
		int dimensions = checkRank(settings, output, (TensorInfo) model.outputs().get(output).getInfo());
		checkVocabulary(settings, model);
		HuggingFaceTokenizer tokenizer = loadTokenizer(settings);
		List<Integer> chunkSizes = model.definition().serving().batching().enabled()
				? model.definition().serving().batching().batchSizes() : List.of(1);
		return new TextEmbedder(settings, tokenizer, inference, environment, output,
				model.inputs().containsKey(EmbeddingSettings.TOKEN_TYPE_IDS), idType, chunkSizes, dimensions);
	}

	private static OnnxJavaType idType(EmbeddingSettings settings, Map<String, NodeInfo> inputs) {
		OnnxJavaType type = null;
		for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
			OnnxJavaType inputType = (input.getValue().getInfo() instanceof TensorInfo tensor) ? tensor.type : null;
			if (inputType != OnnxJavaType.INT64 && inputType != OnnxJavaType.INT32
					|| type != null && type != inputType) {
				throw new OnnxModelException(settings.modelName(),
						EmbeddingSettings.property(settings.modelName(), "tokenizer"),
						"input '" + input.getKey() + "' is " + input.getValue().getInfo()
								+ ", not INT64 or INT32 like the other token inputs",
						"export the model with INT64 (or INT32) token inputs, as Hugging Face's exporters do");
			}
			type = inputType;
		}
		return type;
	}

	private static String output(EmbeddingSettings settings, Map<String, NodeInfo> outputs) {
		String name = settings.modelName();
		String property = EmbeddingSettings.property(name, "output");
		String configured = settings.output();
		String chosen;
		if (configured != null) {
			if (!outputs.containsKey(configured)) {
				throw new OnnxModelException(name, property, "the model has no output '" + configured + "'",
						"set " + property + " to one of the model's outputs " + outputs.keySet());
			}
			chosen = configured;
		}
		else if (outputs.containsKey(EmbeddingSettings.LAST_HIDDEN_STATE)) {
			chosen = EmbeddingSettings.LAST_HIDDEN_STATE;
		}
		else if (outputs.size() == 1) {
			chosen = outputs.keySet().iterator().next();
		}
		else {
			throw new OnnxModelException(name, property,
					"the model has no output 'last_hidden_state' and " + outputs.size() + " others " + outputs.keySet(),
					"set " + property + " to the output that holds the token states (or the pooled vectors)");
		}
		if (!(outputs.get(chosen).getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
			throw new OnnxModelException(name, property,
					"output '" + chosen + "' is " + outputs.get(chosen).getInfo() + ", not a FLOAT tensor",
					"set " + property + " to a FLOAT output of the model " + outputs.keySet());
		}
		return chosen;
	}

	// mean and cls pool [batch, sequence, hidden]; none takes [batch, hidden]
	private static int checkRank(EmbeddingSettings settings, String output, TensorInfo tensor) {
		long[] shape = tensor.getShape();
		int expected = (settings.pooling() == EmbeddingPooling.NONE) ? 2 : 3;
		if (shape.length != expected) {
			String name = settings.modelName();
			String property = EmbeddingSettings.property(name, "pooling");
			String fix = (shape.length == 2) ? "set " + property + "=none: the output is already one vector per text"
					: (shape.length == 3) ? "set " + property + "=mean (or cls): the output has a state per token"
							: "set " + EmbeddingSettings.property(name, "output")
									+ " to an output of [batch, sequence, hidden] or [batch, hidden]";
			throw new OnnxModelException(name, property,
					"pooling " + settings.pooling().name().toLowerCase(java.util.Locale.ROOT) + " needs an output of "
							+ ((expected == 2) ? "[batch, hidden]" : "[batch, sequence, hidden]") + ", but '" + output
							+ "' is " + Arrays.toString(shape),
					fix);
		}
		return (int) shape[shape.length - 1];
	}

	private static void checkVocabulary(EmbeddingSettings settings, ManagedModel model) {
		String name = settings.modelName();
		String property = EmbeddingSettings.property(name, "tokenizer");
		long vocabulary;
		try (InputStream in = settings.tokenizer().getInputStream()) {
			vocabulary = TokenizerVocabulary.size(in);
		}
		catch (IOException ex) {
			throw new OnnxModelException(name, property,
					"the tokenizer " + settings.tokenizer().getDescription() + " cannot be read: " + ex.getMessage(),
					"point " + property + " at the model's Hugging Face tokenizer.json", ex);
		}
		Long rows = tableRows(model);
		if (rows != null && vocabulary > rows) {
			throw new OnnxModelException(name, property,
					"the tokenizer's vocabulary has " + vocabulary + " ids but the model's embedding table has " + rows
							+ " rows, so some tokens would index past it: the tokenizer is not this model's",
					"point " + property + " at the tokenizer.json exported with the model (its vocabulary has at most "
							+ rows + " ids)");
		}
	}

	private static @Nullable Long tableRows(ManagedModel model) {
		org.springframework.core.io.Resource location = model.definition().location();
		if (location == null || !location.exists()) {
			return null;
		}
		try (InputStream in = location.getInputStream()) {
			return EmbeddingGraph.read(in, EmbeddingSettings.INPUT_IDS).tableRows();
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static HuggingFaceTokenizer loadTokenizer(EmbeddingSettings settings) {
		Map<String, String> options = new LinkedHashMap<>();
		options.put("maxLength", Integer.toString(settings.maxLength()));
		options.put("truncation", "true");
		options.put("padding", "false");
		options.put("addSpecialTokens", "true");
		try (InputStream in = settings.tokenizer().getInputStream()) {
			return HuggingFaceTokenizer.newInstance(in, options);
		}
		catch (IOException | RuntimeException ex) {
			String property = EmbeddingSettings.property(settings.modelName(), "tokenizer");
			throw new OnnxModelException(settings.modelName(), property,
					"the tokenizer " + settings.tokenizer().getDescription() + " cannot be loaded: " + ex.getMessage(),
					"point " + property + " at the model's Hugging Face tokenizer.json", ex);
		}
	}

	/**
	 * The model's name.
	 * @return the name
	 */
	public String modelName() {
		return this.settings.modelName();
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public EmbeddingSettings settings() {
		return this.settings;
	}

	/**
	 * The output pooled.
	 * @return its name
	 */
	public String output() {
		return this.output;
	}

	/**
	 * The length of a vector: the output's last dimension, read from the model or, where
	 * the model leaves it dynamic, from a run.
	 * @return the model's hidden size
	 * @throws OrtException when the model fails on the run that tells it
	 */
	public int dimensions() throws OrtException {
		if (this.dimensions < 1) {
			embed(List.of("dimensions"));
		}
		return this.dimensions;
	}

	/**
	 * Texts embedded so far.
	 * @return the count
	 */
	public long texts() {
		return this.texts.sum();
	}

	/**
	 * Tokens embedded so far, padding left out.
	 * @return the count
	 */
	public long tokens() {
		return this.tokens.sum();
	}

	/**
	 * Embed texts.
	 * @param texts the texts
	 * @return a vector per text, in order
	 * @throws OrtException when the model fails
	 */
	public List<float[]> embed(List<String> texts) throws OrtException {
		if (texts.isEmpty()) {
			return List.of();
		}
		Encoding[] encodings = this.tokenizer.batchEncode(texts);
		float[][] vectors = new float[texts.size()][];
		// the texts of each bucket, by index, in order
		Map<Integer, List<Integer>> byBucket = new LinkedHashMap<>();
		long tokenCount = 0;
		for (int i = 0; i < encodings.length; i++) {
			int length = Math.min(encodings[i].getIds().length, this.settings.maxLength());
			tokenCount += length;
			byBucket.computeIfAbsent(bucket(length), (bucket) -> new ArrayList<>()).add(i);
		}
		for (Map.Entry<Integer, List<Integer>> bucket : byBucket.entrySet()) {
			List<Integer> indices = bucket.getValue();
			int from = 0;
			while (from < indices.size()) {
				int size = chunk(indices.size() - from);
				runChunk(encodings, indices.subList(from, from + size), bucket.getKey(), vectors);
				from += size;
			}
		}
		this.texts.add(texts.size());
		this.tokens.add(tokenCount);
		return Arrays.asList(vectors);
	}

	private int bucket(int length) {
		for (int bucket : this.settings.buckets()) {
			if (bucket >= length) {
				return bucket;
			}
		}
		return this.settings.maxLength();
	}

	// the largest warmed batch size that the remaining texts fill
	private int chunk(int remaining) {
		int size = 1;
		for (int candidate : this.chunkSizes) {
			if (candidate <= remaining) {
				size = candidate;
			}
		}
		return size;
	}

	private void runChunk(Encoding[] encodings, List<Integer> indices, int sequence, float[][] vectors)
			throws OrtException {
		int rows = indices.size();
		long[] ids = new long[rows * sequence];
		long[] mask = new long[rows * sequence];
		long[] types = new long[rows * sequence];
		int[] lengths = new int[rows];
		for (int row = 0; row < rows; row++) {
			Encoding encoding = encodings[indices.get(row)];
			long[] tokenIds = encoding.getIds();
			long[] typeIds = encoding.getTypeIds();
			int length = Math.min(tokenIds.length, sequence);
			lengths[row] = length;
			System.arraycopy(tokenIds, 0, ids, row * sequence, length);
			System.arraycopy(typeIds, 0, types, row * sequence, Math.min(typeIds.length, length));
			Arrays.fill(mask, row * sequence, row * sequence + length, 1L);
		}
		float[][] pooled = run(ids, mask, types, sequence, lengths);
		for (int row = 0; row < rows; row++) {
			vectors[indices.get(row)] = pooled[row];
		}
	}

	/**
	 * Run the whole path once per bucket and chunk size, with the tokenizer: what the
	 * model's warmup does not reach (the batcher's slicing of each caller's rows, the
	 * tokenizer's first call, this class's code) is then warm before the application is
	 * ready. The runs are not counted.
	 * @throws OrtException when the model fails
	 */
	public void warm() throws OrtException {
		this.tokenizer.encode("warm up");
		for (int bucket : this.settings.buckets()) {
			for (int rows : this.chunkSizes) {
				long[] ids = new long[rows * bucket];
				long[] mask = new long[rows * bucket];
				Arrays.fill(mask, 1L);
				int[] lengths = new int[rows];
				Arrays.fill(lengths, bucket);
				run(ids, mask, new long[rows * bucket], bucket, lengths);
			}
		}
	}

	private float[][] run(long[] ids, long[] mask, long[] types, int sequence, int[] lengths) throws OrtException {
		int rows = lengths.length;
		float[][] vectors = new float[rows][];
		long[] shape = { rows, sequence };
		Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
		try {
			inputs.put(EmbeddingSettings.INPUT_IDS, tensor(ids, shape));
			inputs.put(EmbeddingSettings.ATTENTION_MASK, tensor(mask, shape));
			if (this.tokenTypeIds) {
				inputs.put(EmbeddingSettings.TOKEN_TYPE_IDS, tensor(types, shape));
			}
			try (Result result = this.inference.run(this.settings.modelName(), inputs, this.requestedOutputs)) {
				OnnxValue value = result.get(this.output)
					.orElseThrow(() -> new IllegalStateException("The model returned no '" + this.output + "'"));
				OnnxTensor tensor = (OnnxTensor) value;
				long[] outputShape = tensor.getInfo().getShape();
				int hidden = (int) outputShape[outputShape.length - 1];
				this.dimensions = hidden;
				FloatBuffer data = tensor.getFloatBuffer();
				for (int row = 0; row < rows; row++) {
					vectors[row] = pool(data, row, sequence, hidden, lengths[row]);
				}
			}
		}
		finally {
			inputs.values().forEach(OnnxTensor::close);
		}
		return vectors;
	}

	private OnnxTensor tensor(long[] values, long[] shape) throws OrtException {
		if (this.idType == OnnxJavaType.INT32) {
			int[] narrow = new int[values.length];
			for (int i = 0; i < values.length; i++) {
				narrow[i] = (int) values[i];
			}
			return OnnxTensor.createTensor(this.environment, IntBuffer.wrap(narrow), shape);
		}
		return OnnxTensor.createTensor(this.environment, LongBuffer.wrap(values), shape);
	}

	private float[] pool(FloatBuffer data, int row, int sequence, int hidden, int length) {
		float[] vector = new float[hidden];
		switch (this.settings.pooling()) {
			case NONE -> data.get(row * hidden, vector);
			case CLS -> data.get(row * sequence * hidden, vector);
			case MEAN -> {
				double[] sum = new double[hidden];
				int base = row * sequence * hidden;
				for (int token = 0; token < length; token++) {
					for (int h = 0; h < hidden; h++) {
						sum[h] += data.get(base + token * hidden + h);
					}
				}
				for (int h = 0; h < hidden; h++) {
					vector[h] = (float) (sum[h] / Math.max(1, length));
				}
			}
		}
		if (this.settings.normalize()) {
			normalize(vector);
		}
		return vector;
	}

	static void normalize(float[] vector) {
		double squares = 0;
		for (float value : vector) {
			squares += (double) value * value;
		}
		// as sentence-transformers' Normalize: a zero vector stays zero
		double norm = Math.max(Math.sqrt(squares), 1e-12);
		for (int i = 0; i < vector.length; i++) {
			vector[i] = (float) (vector[i] / norm);
		}
	}

	/**
	 * Describe the settings in force, for the endpoint.
	 * @return the description
	 */
	public EmbeddingDescription describe() {
		int known = this.dimensions;
		return new EmbeddingDescription(describeLocation(this.settings.tokenizer()),
				this.settings.pooling().name().toLowerCase(java.util.Locale.ROOT), this.settings.normalize(),
				this.settings.maxLength(), this.settings.buckets(), this.output, (known > 0) ? known : null, texts(),
				tokens());
	}

	private static @Nullable String describeLocation(org.springframework.core.io.Resource location) {
		if (location instanceof org.springframework.core.io.ClassPathResource classPath) {
			return LocationMasking.mask("classpath:/" + classPath.getPath());
		}
		try {
			return LocationMasking.mask(location.getURL().toString());
		}
		catch (IOException ex) {
			return LocationMasking.maskUrlsIn(location.getDescription());
		}
	}

	@Override
	public void close() {
		this.tokenizer.close();
	}

}
