package io.github.onnxgpu.boot.test;

import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code onnx} endpoint's responses as the JSON a client reads: their types are not
 * API, so tests outside the endpoint's package read what Jackson writes.
 */
public final class EndpointJson {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private EndpointJson() {
	}

	/**
	 * The JSON of a response.
	 * @param response what an endpoint operation returned
	 * @return its JSON tree
	 */
	public static JsonNode json(Object response) {
		return MAPPER.valueToTree(response);
	}

	/**
	 * A JSON object as a map.
	 * @param node the object
	 * @return its members, {@code null} when the node is missing or null
	 */
	public static Map<String, Object> map(JsonNode node) {
		return MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {
		});
	}

	/**
	 * A JSON array of numbers.
	 * @param node the array
	 * @return its numbers
	 */
	public static List<Long> longs(JsonNode node) {
		return MAPPER.convertValue(node, new TypeReference<List<Long>>() {
		});
	}

	/**
	 * A JSON array of strings.
	 * @param node the array
	 * @return its strings
	 */
	public static List<String> strings(JsonNode node) {
		return MAPPER.convertValue(node, new TypeReference<List<String>>() {
		});
	}

}
