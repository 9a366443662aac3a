package io.github.onnxgpu.boot.internal.warmup;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import ai.onnxruntime.platform.Fp16Conversions;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Fixed values for control inputs, such as a sample rate, a threshold or {@code top_k},
 * configured as {@code warmup.values.<input>}: every element of the input is set to the
 * value, converted to the input's element type at start-up so that a value that does not
 * fit fails there.
 */
public final class WarmupValues {

	private static final BigInteger UNSIGNED_64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

	private final Map<String, Object> values;

	private WarmupValues(Map<String, Object> values) {
		this.values = Collections.unmodifiableMap(values);
	}

	/**
	 * No values.
	 * @return an empty set of values
	 */
	public static WarmupValues none() {
		return new WarmupValues(new LinkedHashMap<>());
	}

	/**
	 * Check the configured values against the model's inputs and convert them.
	 * @param modelName the model, for messages
	 * @param tensors the model's inputs
	 * @param shared values under {@code onnx.warmup.values}, applied to the inputs this
	 * model has
	 * @param own values under {@code onnx.models.<name>.warmup.values}, which must name
	 * inputs of this model and win over shared ones
	 * @return the converted values by input name
	 * @throws OnnxModelException when a value names no input or does not fit its type
	 */
	static WarmupValues resolve(String modelName, Map<String, TensorInfo> tensors, Map<String, String> shared,
			Map<String, String> own) {
		Map<String, Object> values = new LinkedHashMap<>();
		shared.forEach((input, text) -> {
			TensorInfo tensor = tensors.get(input);
			if (tensor != null) {
				values.put(input, convert(modelName, "onnx.warmup.values." + input, input, tensor, text));
			}
		});
		own.forEach((input, text) -> {
			String property = OnnxModelException.modelProperty(modelName, "warmup.values." + input);
			TensorInfo tensor = tensors.get(input);
			if (tensor == null) {
				throw new OnnxModelException(modelName, property, "the model has no input '" + input + "'",
						"name one of the model's inputs " + tensors.keySet() + " under "
								+ OnnxModelException.modelProperty(modelName, "warmup.values"));
			}
			values.put(input, convert(modelName, property, input, tensor, text));
		});
		return new WarmupValues(values);
	}

	/**
	 * Whether an input has a value.
	 * @param input the input
	 * @return whether it has one
	 */
	public boolean contains(String input) {
		return this.values.containsKey(input);
	}

	/**
	 * The converted values: {@link Float}, {@link Double}, {@link Byte}, {@link Short}
	 * (also the bits of half and bfloat16 floats), {@link Integer}, {@link Long},
	 * {@link Boolean} or {@link String}, as the input's element type needs.
	 * @return the values by input name
	 */
	public Map<String, Object> values() {
		return this.values;
	}

	/**
	 * Put a converted value into a buffer of the input's element type.
	 * @param buffer the buffer
	 * @param value the converted value
	 */
	static void put(ByteBuffer buffer, Object value) {
		if (value instanceof Float number) {
			buffer.putFloat(number);
		}
		else if (value instanceof Double number) {
			buffer.putDouble(number);
		}
		else if (value instanceof Byte number) {
			buffer.put(number);
		}
		else if (value instanceof Short number) {
			buffer.putShort(number);
		}
		else if (value instanceof Integer number) {
			buffer.putInt(number);
		}
		else if (value instanceof Long number) {
			buffer.putLong(number);
		}
		else if (value instanceof Boolean flag) {
			buffer.put((byte) (flag ? 1 : 0));
		}
		else {
			throw new IllegalArgumentException("Cannot put " + value + " into a tensor buffer");
		}
	}

	static Object convert(String modelName, String property, String input, TensorInfo tensor, @Nullable String text) {
		String value = (text != null) ? text.strip() : "";
		String type = typeName(tensor.onnxType);
		try {
			return switch (tensor.onnxType) {
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> (float) floating(value, Float.MAX_VALUE);
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> floating(value, Double.MAX_VALUE);
				// 65504 is the largest finite half float
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 ->
					Fp16Conversions.floatToFp16((float) floating(value, 65504));
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 ->
					Fp16Conversions.floatToBf16((float) floating(value, Float.MAX_VALUE));
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> whole(value, -128, 127).byteValue();
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> whole(value, 0, 255).byteValue();
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> whole(value, Short.MIN_VALUE, Short.MAX_VALUE).shortValue();
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> whole(value, 0, 65535).shortValue();
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 ->
					whole(value, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> whole(value, 0, 4294967295L).intValue();
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 ->
					whole(value, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)).longValue();
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> whole(value, BigInteger.ZERO, UNSIGNED_64_MAX).longValue();
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> bool(value);
				case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> value;
				default -> throw new OnnxModelException(modelName, property,
						"input '" + input + "' has element type " + type + ", which a warmup value cannot fill",
						"remove " + property + " and give the input as a .npy file in the warmup shapes");
			};
		}
		catch (IllegalArgumentException ex) {
			throw new OnnxModelException(modelName, property, "warmup value '" + value + "' does not fit input '"
					+ input + "' of type " + type + ": " + ex.getMessage(), "give " + expected(tensor.onnxType));
		}
	}

	private static double floating(String value, double limit) {
		double number;
		try {
			number = Double.parseDouble(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("it is not a number");
		}
		if (Double.isFinite(number) && Math.abs(number) > limit) {
			throw new IllegalArgumentException("it is beyond the type's largest value " + limit);
		}
		return number;
	}

	private static BigInteger whole(String value, long min, long max) {
		return whole(value, BigInteger.valueOf(min), BigInteger.valueOf(max));
	}

	private static BigInteger whole(String value, BigInteger min, BigInteger max) {
		BigDecimal number;
		try {
			number = new BigDecimal(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("it is not a number");
		}
		BigInteger whole;
		try {
			whole = number.toBigIntegerExact();
		}
		catch (ArithmeticException ex) {
			throw new IllegalArgumentException("it is not a whole number");
		}
		if (whole.compareTo(min) < 0 || whole.compareTo(max) > 0) {
			throw new IllegalArgumentException("it is outside the type's range " + min + " to " + max);
		}
		return whole;
	}

	private static boolean bool(String value) {
		if (value.equalsIgnoreCase("true")) {
			return true;
		}
		if (value.equalsIgnoreCase("false")) {
			return false;
		}
		throw new IllegalArgumentException("it is not true or false");
	}

	private static String expected(OnnxTensorType type) {
		return switch (type) {
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE,
					ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 ->
				"a number such as 0.5";
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> "true or false";
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> "a whole number from 0 to 255";
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> "a whole number from -128 to 127";
			default -> "a whole number in the type's range, such as 16000";
		};
	}

	static String typeName(OnnxTensorType type) {
		return type.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "").toLowerCase(Locale.ROOT);
	}

}
