package io.github.onnxgpu.benchmarks.trial;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;

/**
 * Input tensors of a request: random values like real traffic (floats in [0, 1), token
 * ids below the vocabulary size) or zeros like the starter's default warmup data.
 */
public final class ProbeInputs implements AutoCloseable {

	// the sequence model's vocabulary; every id below it is valid for both models
	private static final int TOKEN_IDS = 1000;

	private final Map<String, OnnxTensor> tensors;

	private ProbeInputs(Map<String, OnnxTensor> tensors) {
		this.tensors = tensors;
	}

	/**
	 * Random inputs, as a request brings.
	 * @param environment the environment
	 * @param modelInputs the model's inputs
	 * @param dimensions dimensions by input name, such as {@code 1x3x256x256}
	 * @param seed the random seed
	 * @return the inputs, to be closed
	 * @throws OrtException when a tensor cannot be created
	 */
	public static ProbeInputs random(OrtEnvironment environment, Map<String, NodeInfo> modelInputs,
			Map<String, String> dimensions, long seed) throws OrtException {
		return create(environment, modelInputs, dimensions, new Random(seed));
	}

	/**
	 * Zero-filled inputs, as the starter's default warmup uses.
	 * @param environment the environment
	 * @param modelInputs the model's inputs
	 * @param dimensions dimensions by input name
	 * @return the inputs, to be closed
	 * @throws OrtException when a tensor cannot be created
	 */
	public static ProbeInputs zeros(OrtEnvironment environment, Map<String, NodeInfo> modelInputs,
			Map<String, String> dimensions) throws OrtException {
		return create(environment, modelInputs, dimensions, null);
	}

	private static ProbeInputs create(OrtEnvironment environment, Map<String, NodeInfo> modelInputs,
			Map<String, String> dimensions, Random random) throws OrtException {
		ProbeInputs inputs = new ProbeInputs(new LinkedHashMap<>());
		try {
			for (Map.Entry<String, String> input : dimensions.entrySet()) {
				NodeInfo info = modelInputs.get(input.getKey());
				if (info == null || !(info.getInfo() instanceof TensorInfo tensorInfo)) {
					throw new IllegalArgumentException(
							"No tensor input '" + input.getKey() + "'; the model has " + modelInputs.keySet());
				}
				inputs.tensors.put(input.getKey(),
						tensor(environment, tensorInfo.type, parse(input.getValue()), random));
			}
			return inputs;
		}
		catch (OrtException | RuntimeException ex) {
			inputs.close();
			throw ex;
		}
	}

	/**
	 * The tensors by input name.
	 * @return the tensors
	 */
	public Map<String, OnnxTensor> tensors() {
		return this.tensors;
	}

	/**
	 * Parse dimensions such as {@code 1x3x256x256}.
	 * @param dimensions the text
	 * @return the dimensions
	 */
	public static long[] parse(String dimensions) {
		String[] parts = dimensions.trim().split("x");
		long[] dims = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			dims[i] = Long.parseLong(parts[i].trim());
		}
		return dims;
	}

	/**
	 * Describe the dimensions of every input.
	 * @param dimensions dimensions by input name
	 * @return text such as {@code image: 1x3x256x256}
	 */
	public static String describe(Map<String, String> dimensions) {
		StringJoiner joiner = new StringJoiner(", ");
		dimensions.forEach((input, dims) -> joiner.add(input + ": " + dims));
		return joiner.toString();
	}

	private static OnnxTensor tensor(OrtEnvironment environment, OnnxJavaType type, long[] dims, Random random)
			throws OrtException {
		long count = 1;
		for (long dim : dims) {
			count = Math.multiplyExact(count, dim);
		}
		ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(count * type.size))
			.order(ByteOrder.nativeOrder());
		if (random != null) {
			for (long i = 0; i < count; i++) {
				switch (type) {
					case FLOAT -> buffer.putFloat(random.nextFloat());
					case INT64 -> buffer.putLong(random.nextInt(TOKEN_IDS));
					case INT32 -> buffer.putInt(random.nextInt(TOKEN_IDS));
					default ->
						throw new IllegalArgumentException("Benchmark inputs of type " + type + " are not supported");
				}
			}
			buffer.rewind();
		}
		return OnnxTensor.createTensor(environment, buffer, dims, type);
	}

	@Override
	public void close() {
		this.tensors.values().forEach(OnnxTensor::close);
	}

}
