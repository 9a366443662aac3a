package io.github.onnxgpu.boot.internal.warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;

import io.github.onnxgpu.boot.internal.warmup.npy.NpyArray;
import io.github.onnxgpu.boot.model.WarmupData;

/**
 * Input tensors for one warmup sample, of each input's element type, filled with zeros or
 * seeded random values.
 */
public final class WarmupTensors implements AutoCloseable {

	private static final long SEED = 42;

	// 0, 0.25, 0.5 and 1.0 as IEEE half and bfloat16 bit patterns: Java 17 has no
	// float-to-half conversion, and small values are all warmup needs
	private static final short[] FLOAT16_VALUES = { 0x0000, 0x3400, 0x3800, 0x3C00 };

	private static final short[] BFLOAT16_VALUES = { 0x0000, 0x3E80, 0x3F00, 0x3F80 };

	private final Map<String, OnnxTensor> tensors;

	private WarmupTensors(Map<String, OnnxTensor> tensors) {
		this.tensors = tensors;
	}

	static WarmupTensors create(OrtEnvironment environment, Map<String, NodeInfo> inputs, ResolvedShape sample,
			WarmupData data) throws OrtException {
		return create(environment, inputs, sample, data, WarmupValues.none());
	}

	/**
	 * Create the tensors of a sample.
	 * @param environment the environment
	 * @param inputs the model's inputs
	 * @param sample the sample
	 * @param data zeros or seeded random values
	 * @param values fixed values of control inputs
	 * @return the tensors, to be closed
	 * @throws OrtException when ONNX Runtime cannot create them
	 */
	public static WarmupTensors create(OrtEnvironment environment, Map<String, NodeInfo> inputs, ResolvedShape sample,
			WarmupData data, WarmupValues values) throws OrtException {
		Random random = new Random(SEED);
		Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
		WarmupTensors created = new WarmupTensors(tensors);
		try {
			for (Map.Entry<String, long[]> input : sample.dimensions().entrySet()) {
				TensorInfo info = (TensorInfo) inputs.get(input.getKey()).getInfo();
				NpyArray file = sample.files().get(input.getKey());
				Object value = values.values().get(input.getKey());
				tensors.put(input.getKey(),
						(file != null) ? WarmupFiles.tensor(environment, file)
								: (value != null) ? filled(environment, info.type, input.getValue(), value)
										: tensor(environment, info.type, input.getValue(), data, random));
			}
			return created;
		}
		catch (OrtException | RuntimeException ex) {
			created.close();
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

	private static OnnxTensor tensor(OrtEnvironment environment, OnnxJavaType type, long[] dims, WarmupData data,
			Random random) throws OrtException {
		long count = 1;
		for (long dim : dims) {
			count = Math.multiplyExact(count, dim);
		}
		if (type == OnnxJavaType.STRING) {
			String[] strings = new String[Math.toIntExact(count)];
			java.util.Arrays.fill(strings, "");
			return OnnxTensor.createTensor(environment, strings, dims);
		}
		ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(Math.multiplyExact(count, type.size)))
			.order(ByteOrder.nativeOrder());
		if (data == WarmupData.RANDOM) {
			fillRandom(buffer, type, count, random);
		}
		return OnnxTensor.createTensor(environment, buffer, dims, type);
	}

	private static OnnxTensor filled(OrtEnvironment environment, OnnxJavaType type, long[] dims, Object value)
			throws OrtException {
		int count = Math.toIntExact(count(dims));
		if (value instanceof String text) {
			String[] strings = new String[count];
			java.util.Arrays.fill(strings, text);
			return OnnxTensor.createTensor(environment, strings, dims);
		}
		ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(Math.multiplyExact((long) count, type.size)))
			.order(ByteOrder.nativeOrder());
		for (int i = 0; i < count; i++) {
			WarmupValues.put(buffer, value);
		}
		buffer.rewind();
		return OnnxTensor.createTensor(environment, buffer, dims, type);
	}

	private static long count(long[] dims) {
		long count = 1;
		for (long dim : dims) {
			count = Math.multiplyExact(count, dim);
		}
		return count;
	}

	private static void fillRandom(ByteBuffer buffer, OnnxJavaType type, long count, Random random) {
		for (long i = 0; i < count; i++) {
			switch (type) {
				case FLOAT -> buffer.putFloat(random.nextFloat());
				case DOUBLE -> buffer.putDouble(random.nextDouble());
				case FLOAT16 -> buffer.putShort(FLOAT16_VALUES[random.nextInt(FLOAT16_VALUES.length)]);
				case BFLOAT16 -> buffer.putShort(BFLOAT16_VALUES[random.nextInt(BFLOAT16_VALUES.length)]);
				case INT8, UINT8, BOOL -> buffer.put((byte) random.nextInt(2));
				case INT16 -> buffer.putShort((short) random.nextInt(2));
				case INT32 -> buffer.putInt(random.nextInt(2));
				case INT64 -> buffer.putLong(random.nextInt(2));
				default -> throw new IllegalArgumentException("Cannot fill a tensor of type " + type);
			}
		}
		buffer.rewind();
	}

	@Override
	public void close() {
		this.tensors.values().forEach(OnnxTensor::close);
	}

}
