package io.github.onnxgpu.boot.internal.openinference.rest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import ai.onnxruntime.platform.Fp16Conversions;
import tools.jackson.databind.JsonNode;

import io.github.onnxgpu.boot.internal.openinference.Datatype;
import io.github.onnxgpu.boot.internal.openinference.OpenInferenceException;
import io.github.onnxgpu.boot.internal.openinference.RequestTensor;

/**
 * Reads the {@code data} of an input: a JSON array in row-major order, flat or nested as
 * the tensor's dimensions, of numbers, booleans or strings as the datatype wants.
 */
final class JsonTensors {

	private JsonTensors() {
	}

	static RequestTensor read(String subject, String name, Datatype datatype, long[] shape, JsonNode data) {
		List<JsonNode> elements = new ArrayList<>();
		flatten(subject, data, elements, 0);
		if (datatype == Datatype.BYTES) {
			String[] strings = new String[elements.size()];
			for (int i = 0; i < strings.length; i++) {
				JsonNode element = elements.get(i);
				if (!element.isString()) {
					throw wrongElement(subject, datatype, i, element, "a string");
				}
				strings[i] = element.stringValue();
			}
			return new RequestTensor(name, datatype, shape, null, strings);
		}
		ByteBuffer buffer = ByteBuffer.allocateDirect(elements.size() * datatype.size()).order(ByteOrder.nativeOrder());
		for (int i = 0; i < elements.size(); i++) {
			put(subject, datatype, i, elements.get(i), buffer);
		}
		return new RequestTensor(name, datatype, shape, buffer.flip(), null);
	}

	private static void flatten(String subject, JsonNode node, List<JsonNode> into, int depth) {
		if (!node.isArray()) {
			if (depth == 0) {
				throw OpenInferenceException
					.badRequest(subject + ": \"data\" must be an array, not " + abbreviate(node));
			}
			into.add(node);
			return;
		}
		if (depth > 32) {
			throw OpenInferenceException.badRequest(subject + ": \"data\" nests arrays deeper than 32");
		}
		for (JsonNode element : node.values()) {
			flatten(subject, element, into, depth + 1);
		}
	}

	private static void put(String subject, Datatype datatype, int index, JsonNode element, ByteBuffer buffer) {
		switch (datatype) {
			case BOOL -> {
				if (element.isBoolean()) {
					buffer.put((byte) (element.booleanValue() ? 1 : 0));
				}
				else if (element.isIntegralNumber() && (element.longValue() == 0 || element.longValue() == 1)) {
					buffer.put((byte) element.longValue());
				}
				else {
					throw wrongElement(subject, datatype, index, element, "true or false");
				}
			}
			case UINT8 -> buffer.put((byte) integer(subject, datatype, index, element, 0, 0xFF));
			case INT8 -> buffer.put((byte) integer(subject, datatype, index, element, Byte.MIN_VALUE, Byte.MAX_VALUE));
			case UINT16 -> buffer.putShort((short) integer(subject, datatype, index, element, 0, 0xFFFF));
			case INT16 ->
				buffer.putShort((short) integer(subject, datatype, index, element, Short.MIN_VALUE, Short.MAX_VALUE));
			case UINT32 -> buffer.putInt((int) integer(subject, datatype, index, element, 0, 0xFFFFFFFFL));
			case INT32 ->
				buffer.putInt((int) integer(subject, datatype, index, element, Integer.MIN_VALUE, Integer.MAX_VALUE));
			case UINT64 -> {
				if (!element.isIntegralNumber() || element.bigIntegerValue().signum() < 0
						|| element.bigIntegerValue().bitLength() > 64) {
					throw wrongElement(subject, datatype, index, element, "a whole number from 0 to 2^64-1");
				}
				buffer.putLong(element.bigIntegerValue().longValue());
			}
			case INT64 -> buffer.putLong(integer(subject, datatype, index, element, Long.MIN_VALUE, Long.MAX_VALUE));
			case FP16 ->
				buffer.putShort(Fp16Conversions.floatToFp16((float) number(subject, datatype, index, element)));
			case BF16 -> buffer.putShort(bfloat16((float) number(subject, datatype, index, element)));
			case FP32 -> buffer.putFloat((float) number(subject, datatype, index, element));
			case FP64 -> buffer.putDouble(number(subject, datatype, index, element));
			case BYTES -> throw new IllegalStateException("BYTES elements are strings");
		}
	}

	private static long integer(String subject, Datatype datatype, int index, JsonNode element, long min, long max) {
		if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < min
				|| element.longValue() > max) {
			throw wrongElement(subject, datatype, index, element, "a whole number from " + min + " to " + max);
		}
		return element.longValue();
	}

	private static double number(String subject, Datatype datatype, int index, JsonNode element) {
		if (!element.isNumber()) {
			throw wrongElement(subject, datatype, index, element, "a number");
		}
		return element.doubleValue();
	}

	private static short bfloat16(float value) {
		int bits = Float.floatToRawIntBits(value);
		if (Float.isNaN(value)) {
			return (short) ((bits >>> 16) | 0x40);
		}
		// round to nearest even on the 16 bits dropped
		return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
	}

	private static OpenInferenceException wrongElement(String subject, Datatype datatype, int index, JsonNode element,
			String expected) {
		return OpenInferenceException.badRequest(subject + ": element " + index + " of \"data\" is "
				+ abbreviate(element) + ", a " + datatype + " input takes " + expected);
	}

	private static String abbreviate(JsonNode node) {
		String text = node.toString();
		return (text.length() > 40) ? text.substring(0, 40) + "..." : text;
	}

}
