package io.github.onnxgpu.testmodels;

import java.util.Objects;

/**
 * A node attribute (ONNX {@code AttributeProto}), already encoded when created.
 */
public final class Attribute {

	// AttributeProto field numbers and AttributeType values from onnx.proto.
	private static final int NAME = 1;

	private static final int F = 2;

	private static final int I = 3;

	private static final int S = 4;

	private static final int G = 6;

	private static final int FLOATS = 7;

	private static final int INTS = 8;

	private static final int TYPE = 20;

	private static final int TYPE_FLOAT = 1;

	private static final int TYPE_INT = 2;

	private static final int TYPE_STRING = 3;

	private static final int TYPE_GRAPH = 5;

	private static final int TYPE_FLOATS = 6;

	private static final int TYPE_INTS = 7;

	private final String name;

	private final byte[] encoded;

	private Attribute(String name, byte[] encoded) {
		this.name = name;
		this.encoded = encoded;
	}

	/**
	 * A list of integers, for example {@code kernel_shape} or {@code pads}.
	 * @param name the attribute name
	 * @param values the values
	 * @return the attribute
	 */
	public static Attribute ints(String name, long... values) {
		return new Attribute(name, start(name).packedVarints(INTS, values).varint(TYPE, TYPE_INTS).toByteArray());
	}

	/**
	 * A single integer, for example {@code keepdims}.
	 * @param name the attribute name
	 * @param value the value
	 * @return the attribute
	 */
	public static Attribute intValue(String name, long value) {
		return new Attribute(name, start(name).varint(I, value).varint(TYPE, TYPE_INT).toByteArray());
	}

	/**
	 * A single float, for example {@code epsilon}.
	 * @param name the attribute name
	 * @param value the value
	 * @return the attribute
	 */
	public static Attribute floatValue(String name, float value) {
		return new Attribute(name, start(name).fixedFloat(F, value).varint(TYPE, TYPE_FLOAT).toByteArray());
	}

	/**
	 * A list of floats.
	 * @param name the attribute name
	 * @param values the values
	 * @return the attribute
	 */
	public static Attribute floats(String name, float... values) {
		return new Attribute(name, start(name).packedFloats(FLOATS, values).varint(TYPE, TYPE_FLOATS).toByteArray());
	}

	/**
	 * A string, for example Resize's {@code mode}.
	 * @param name the attribute name
	 * @param value the value
	 * @return the attribute
	 */
	public static Attribute string(String name, String value) {
		Objects.requireNonNull(value, "value");
		return new Attribute(name, start(name).string(S, value).varint(TYPE, TYPE_STRING).toByteArray());
	}

	/**
	 * A subgraph, for example the {@code then_branch} of {@code If} or the {@code body}
	 * of {@code Loop}: the builder's graph (its model-level settings are ignored). Its
	 * nodes may use the outer graph's values by name.
	 * @param name the attribute name
	 * @param graph the subgraph
	 * @return the attribute
	 */
	public static Attribute graph(String name, OnnxModelBuilder graph) {
		Objects.requireNonNull(graph, "graph");
		return new Attribute(name, start(name).message(G, graph.graphProto()).varint(TYPE, TYPE_GRAPH).toByteArray());
	}

	/**
	 * Returns the attribute name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	byte[] encoded() {
		return this.encoded;
	}

	private static ProtoWriter start(String name) {
		Objects.requireNonNull(name, "name");
		return new ProtoWriter().string(NAME, name);
	}

	@Override
	public String toString() {
		return "Attribute[" + this.name + "]";
	}

}
