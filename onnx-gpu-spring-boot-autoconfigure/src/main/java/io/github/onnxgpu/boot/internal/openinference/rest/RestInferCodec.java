package io.github.onnxgpu.boot.internal.openinference.rest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.platform.Fp16Conversions;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.onnxgpu.boot.internal.openinference.BinaryTensors;
import io.github.onnxgpu.boot.internal.openinference.Datatype;
import io.github.onnxgpu.boot.internal.openinference.InferOutcome;
import io.github.onnxgpu.boot.internal.openinference.OpenInferenceException;
import io.github.onnxgpu.boot.internal.openinference.RequestTensor;
import io.github.onnxgpu.boot.internal.openinference.ResponseTensor;
import io.github.onnxgpu.boot.internal.openinference.rest.RestInferRequest.RequestedOutput;

/**
 * Reads inference requests and writes their answers as the protocol's REST API has them:
 * a JSON object, followed, with Triton's binary tensor data extension, by the tensors'
 * bytes in the order of the inputs or outputs that say {@code binary_data_size}.
 */
final class RestInferCodec {

	static final String BINARY_DATA_SIZE = "binary_data_size";

	private final JsonMapper mapper;

	RestInferCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Read a request.
	 * @param modelName the model, for the messages
	 * @param body the whole body
	 * @param headerLength the length of the JSON object (the
	 * {@code Inference-Header-Content-Length} header), {@code -1} when the body is all
	 * JSON
	 * @return the request
	 */
	RestInferRequest read(String modelName, byte[] body, int headerLength) {
		if (headerLength > body.length || headerLength < -1) {
			throw OpenInferenceException.badRequest("Inference-Header-Content-Length is " + headerLength
					+ " but the body has " + body.length + " bytes");
		}
		int jsonLength = (headerLength >= 0) ? headerLength : body.length;
		JsonNode root;
		try {
			root = this.mapper.readTree(body, 0, jsonLength);
		}
		catch (JacksonException ex) {
			throw OpenInferenceException.badRequest("The request to model '" + modelName + "' is not JSON"
					+ ((headerLength >= 0)
							? " in its first " + headerLength + " bytes (Inference-Header-Content-Length)" : "")
					+ ": " + ex.getOriginalMessage());
		}
		if (root == null || !root.isObject()) {
			throw OpenInferenceException
				.badRequest("The request to model '" + modelName + "' must be a JSON object with \"inputs\"");
		}
		ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice();
		String id = null;
		JsonNode idNode = root.get("id");
		if (idNode != null && !idNode.isNull()) {
			if (!idNode.isString()) {
				throw OpenInferenceException.badRequest("The request's \"id\" must be a string");
			}
			id = idNode.stringValue();
		}
		JsonNode inputsNode = root.get("inputs");
		if (inputsNode == null || !inputsNode.isArray()) {
			throw OpenInferenceException.badRequest("The request to model '" + modelName + "' has no \"inputs\" array");
		}
		List<RequestTensor> inputs = new ArrayList<>();
		for (JsonNode input : inputsNode.values()) {
			inputs.add(input(modelName, input, binary));
		}
		if (binary.hasRemaining()) {
			throw OpenInferenceException.badRequest("The request to model '" + modelName + "' has " + binary.remaining()
					+ " bytes of binary data that no input's binary_data_size accounts for");
		}
		List<RequestedOutput> outputs = new ArrayList<>();
		JsonNode outputsNode = root.get("outputs");
		if (outputsNode != null && !outputsNode.isNull()) {
			if (!outputsNode.isArray()) {
				throw OpenInferenceException.badRequest("The request's \"outputs\" must be an array");
			}
			for (JsonNode output : outputsNode.values()) {
				String name = text(output, "name", "An output of the request");
				JsonNode binaryData = parameter(output, "binary_data");
				outputs.add(new RequestedOutput(name, (binaryData != null) ? flag(binaryData, "binary_data") : null));
			}
		}
		JsonNode binaryOutput = parameter(root, "binary_data_output");
		return new RestInferRequest(id, inputs, outputs,
				(binaryOutput != null) && flag(binaryOutput, "binary_data_output"));
	}

	private RequestTensor input(String modelName, JsonNode input, ByteBuffer binary) {
		String name = text(input, "name", "An input of the request to model '" + modelName + "'");
		String subject = "Input '" + name + "' of model '" + modelName + "'";
		String datatypeName = text(input, "datatype", subject);
		Datatype datatype = Datatype.named(datatypeName);
		if (datatype == null) {
			throw OpenInferenceException.badRequest(subject + ": unknown datatype '" + datatypeName
					+ "'; the protocol's datatypes are " + List.of(Datatype.values()));
		}
		long[] shape = shape(subject, input.get("shape"));
		JsonNode size = parameter(input, BINARY_DATA_SIZE);
		JsonNode data = input.get("data");
		if (size != null) {
			if (data != null && !data.isNull()) {
				throw OpenInferenceException
					.badRequest(subject + " has both \"data\" and the parameter binary_data_size: give one");
			}
			if (!size.isIntegralNumber() || size.longValue() < 0) {
				throw OpenInferenceException
					.badRequest(subject + ": binary_data_size must be a whole number of bytes, not " + size);
			}
			long bytes = size.longValue();
			if (bytes > binary.remaining()) {
				throw OpenInferenceException.badRequest(subject + ": binary_data_size is " + bytes + " but only "
						+ binary.remaining() + " bytes of binary data are left after the JSON"
						+ " (the JSON's length is the Inference-Header-Content-Length header)");
			}
			ByteBuffer slice = binary.slice(binary.position(), (int) bytes);
			binary.position(binary.position() + (int) bytes);
			return BinaryTensors.read(subject, name, datatype, shape, slice);
		}
		if (data == null || data.isNull()) {
			throw OpenInferenceException
				.badRequest(subject + " has no \"data\" (nor binary data: parameter binary_data_size)");
		}
		return JsonTensors.read(subject, name, datatype, shape, data);
	}

	private static long[] shape(String subject, @Nullable JsonNode node) {
		if (node == null || !node.isArray()) {
			throw OpenInferenceException.badRequest(subject + " has no \"shape\" array");
		}
		long[] shape = new long[node.size()];
		for (int i = 0; i < shape.length; i++) {
			JsonNode dim = node.get(i);
			if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.longValue() < 0) {
				throw OpenInferenceException
					.badRequest(subject + ": shape " + node + " must hold whole numbers of 0 or more");
			}
			shape[i] = dim.longValue();
		}
		return shape;
	}

	private static String text(JsonNode node, String field, String subject) {
		JsonNode value = (node != null && node.isObject()) ? node.get(field) : null;
		if (value == null || !value.isString()) {
			throw OpenInferenceException.badRequest(subject + " has no \"" + field + "\" string");
		}
		return value.stringValue();
	}

	private static @Nullable JsonNode parameter(JsonNode node, String name) {
		JsonNode parameters = node.get("parameters");
		if (parameters == null || parameters.isNull()) {
			return null;
		}
		if (!parameters.isObject()) {
			throw OpenInferenceException.badRequest("\"parameters\" must be an object, not " + parameters);
		}
		return parameters.get(name);
	}

	private static boolean flag(JsonNode value, String name) {
		if (!value.isBoolean()) {
			throw OpenInferenceException.badRequest("The parameter " + name + " must be true or false, not " + value);
		}
		return value.booleanValue();
	}

	/**
	 * Write an answer.
	 * @param id the request's {@code id}
	 * @param outcome the outputs
	 * @param binary whether each output (in order) goes as binary data
	 * @return the body and the length of its JSON object ({@code -1} when it is all JSON)
	 */
	Encoded write(@Nullable String id, InferOutcome outcome, List<Boolean> binary) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
		List<byte[]> tails = new ArrayList<>();
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeStringProperty("model_name", outcome.modelName());
			json.writeStringProperty("model_version", outcome.modelVersion());
			if (id != null) {
				json.writeStringProperty("id", id);
			}
			json.writeArrayPropertyStart("outputs");
			for (int i = 0; i < outcome.outputs().size(); i++) {
				ResponseTensor tensor = outcome.outputs().get(i);
				json.writeStartObject();
				json.writeStringProperty("name", tensor.name());
				json.writeStringProperty("datatype", tensor.datatype().name());
				json.writeArrayPropertyStart("shape");
				for (long dim : tensor.shape()) {
					json.writeNumber(dim);
				}
				json.writeEndArray();
				if (binary.get(i)) {
					byte[] bytes = BinaryTensors.bytes(tensor);
					tails.add(bytes);
					json.writeObjectPropertyStart("parameters");
					json.writeNumberProperty(BINARY_DATA_SIZE, bytes.length);
					json.writeEndObject();
				}
				else {
					json.writeName("data");
					writeData(json, tensor);
				}
				json.writeEndObject();
			}
			json.writeEndArray();
			json.writeEndObject();
		}
		if (tails.isEmpty()) {
			return new Encoded(out.toByteArray(), -1);
		}
		int headerLength = out.size();
		tails.forEach(out::writeBytes);
		return new Encoded(out.toByteArray(), headerLength);
	}

	private static void writeData(JsonGenerator json, ResponseTensor tensor) {
		json.writeStartArray();
		String[] strings = tensor.strings();
		if (strings != null) {
			for (String string : strings) {
				json.writeString(string);
			}
			json.writeEndArray();
			return;
		}
		ByteBuffer data = tensor.data();
		if (data == null) {
			json.writeEndArray();
			return;
		}
		ByteBuffer le = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		int base = le.position();
		int count = tensor.elementCount();
		for (int i = 0; i < count; i++) {
			switch (tensor.datatype()) {
				case BOOL -> json.writeBoolean(le.get(base + i) != 0);
				case UINT8 -> json.writeNumber(le.get(base + i) & 0xFF);
				case INT8 -> json.writeNumber(le.get(base + i));
				case UINT16 -> json.writeNumber(le.getShort(base + 2 * i) & 0xFFFF);
				case INT16 -> json.writeNumber(le.getShort(base + 2 * i));
				case UINT32 -> json.writeNumber(le.getInt(base + 4 * i) & 0xFFFFFFFFL);
				case INT32 -> json.writeNumber(le.getInt(base + 4 * i));
				case UINT64 -> json.writeNumber(Long.toUnsignedString(le.getLong(base + 8 * i)));
				case INT64 -> json.writeNumber(le.getLong(base + 8 * i));
				case FP16 -> json.writeNumber(Fp16Conversions.fp16ToFloat(le.getShort(base + 2 * i)));
				case BF16 -> json.writeNumber(Float.intBitsToFloat((le.getShort(base + 2 * i) & 0xFFFF) << 16));
				case FP32 -> json.writeNumber(le.getFloat(base + 4 * i));
				case FP64 -> json.writeNumber(le.getDouble(base + 8 * i));
				case BYTES -> throw new IllegalStateException("BYTES tensors have strings");
			}
		}
		json.writeEndArray();
	}

	/**
	 * Which outputs go as binary data.
	 * @param request the request
	 * @param outputs the outputs answered, in order
	 * @return a flag per output
	 */
	static List<Boolean> binaryFlags(RestInferRequest request, List<ResponseTensor> outputs) {
		List<Boolean> flags = new ArrayList<>(outputs.size());
		for (ResponseTensor output : outputs) {
			Boolean own = request.outputs()
				.stream()
				.filter((asked) -> asked.name().equals(output.name()))
				.map(RequestedOutput::binaryData)
				.filter(java.util.Objects::nonNull)
				.findFirst()
				.orElse(null);
			flags.add((own != null) ? own : request.binaryDataOutput());
		}
		return flags;
	}

	static Map<String, Object> error(String message) {
		return Map.of("error", message);
	}

	/**
	 * An encoded answer.
	 *
	 * @param body the bytes
	 * @param headerLength the JSON object's length, {@code -1} when the body is all JSON
	 */
	record Encoded(byte[] body, int headerLength) {

	}

}
