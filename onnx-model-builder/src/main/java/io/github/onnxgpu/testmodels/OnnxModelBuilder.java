package io.github.onnxgpu.testmodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Fluent writer of a single-graph ONNX model (IR version 8, default domain only).
 * <p>
 * Nodes must be added in topological order, as ONNX requires. Example: <pre>{@code
 * byte[] model = OnnxModelBuilder.graph("relu")
 *     .input("x", TensorType.FLOAT, "N", 4)
 *     .output("y", TensorType.FLOAT, "N", 4)
 *     .node("Relu", List.of("x"), List.of("y"))
 *     .toByteArray();
 * }</pre>
 */
public final class OnnxModelBuilder {

	/** IR version 8 covers opsets 14 to 18; ONNX Runtime 1.16+ reads it. */
	private static final long IR_VERSION = 8;

	private static final int DEFAULT_OPSET = 17;

	private static final String PRODUCER = "onnx-model-builder";

	private final String graphName;

	private int opset = DEFAULT_OPSET;

	private final List<ProtoWriter> nodes = new ArrayList<>();

	private final List<ProtoWriter> initializers = new ArrayList<>();

	private final java.io.ByteArrayOutputStream externalData = new java.io.ByteArrayOutputStream();

	private @Nullable String externalDataFile;

	private final List<ProtoWriter> inputs = new ArrayList<>();

	private final List<ProtoWriter> outputs = new ArrayList<>();

	private OnnxModelBuilder(String graphName) {
		this.graphName = Objects.requireNonNull(graphName, "graphName");
	}

	/**
	 * Starts a model whose graph has the given name.
	 * @param graphName the graph name
	 * @return a new builder
	 */
	public static OnnxModelBuilder graph(String graphName) {
		return new OnnxModelBuilder(graphName);
	}

	/**
	 * Sets the version of the default ONNX operator set (17 unless changed).
	 * @param version the opset version
	 * @return this builder
	 */
	public OnnxModelBuilder opset(int version) {
		if (version < 1) {
			throw new IllegalArgumentException("opset must be positive: " + version);
		}
		this.opset = version;
		return this;
	}

	/**
	 * Declares a graph input.
	 * @param name the input name
	 * @param type the element type
	 * @param dims each an {@link Integer} or {@link Long} (fixed size) or a
	 * {@link String} (named dynamic dimension)
	 * @return this builder
	 */
	public OnnxModelBuilder input(String name, TensorType type, Object... dims) {
		this.inputs.add(valueInfo(name, type, dims));
		return this;
	}

	/**
	 * Declares a graph output.
	 * @param name the output name
	 * @param type the element type
	 * @param dims each an {@link Integer} or {@link Long} (fixed size) or a
	 * {@link String} (named dynamic dimension)
	 * @return this builder
	 */
	public OnnxModelBuilder output(String name, TensorType type, Object... dims) {
		this.outputs.add(valueInfo(name, type, dims));
		return this;
	}

	/**
	 * Adds a FLOAT constant (weights, scales).
	 * @param name the tensor name, used as a node input
	 * @param values the values in row-major order
	 * @param dims the shape; its product must equal the number of values
	 * @return this builder
	 */
	public OnnxModelBuilder initializer(String name, float[] values, long... dims) {
		checkElementCount(name, values.length, dims);
		ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		raw.asFloatBuffer().put(values);
		this.initializers.add(tensor(name, TensorType.FLOAT, raw.array(), dims));
		return this;
	}

	/**
	 * Adds a FLOAT constant whose values live in an external data file next to the model,
	 * as exporters do for large weights. {@link #writeTo(Path)} writes that file.
	 * @param name the tensor name, used as a node input
	 * @param values the values in row-major order
	 * @param dataFileName the data file's name, relative to the model file
	 * @param dims the shape; its product must equal the number of values
	 * @return this builder
	 */
	public OnnxModelBuilder externalInitializer(String name, float[] values, String dataFileName, long... dims) {
		checkElementCount(name, values.length, dims);
		if (this.externalDataFile != null && !this.externalDataFile.equals(dataFileName)) {
			throw new IllegalArgumentException("This builder writes one external data file, " + this.externalDataFile);
		}
		this.externalDataFile = dataFileName;
		ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		raw.asFloatBuffer().put(values);
		long offset = this.externalData.size();
		this.externalData.writeBytes(raw.array());
		// TensorProto: external_data = 13 (StringStringEntryProto key = 1, value = 2),
		// data_location = 14 (EXTERNAL = 1)
		ProtoWriter tensor = new ProtoWriter();
		if (dims.length > 0) {
			tensor.packedVarints(1, dims);
		}
		tensor.varint(2, TensorType.FLOAT.code()).string(8, name);
		tensor.message(13, new ProtoWriter().string(1, "location").string(2, dataFileName));
		tensor.message(13, new ProtoWriter().string(1, "offset").string(2, Long.toString(offset)));
		tensor.message(13, new ProtoWriter().string(1, "length").string(2, Long.toString(raw.capacity())));
		tensor.varint(14, 1);
		this.initializers.add(tensor);
		return this;
	}

	/**
	 * Adds an INT64 constant (axes, shapes, indices).
	 * @param name the tensor name, used as a node input
	 * @param values the values in row-major order
	 * @param dims the shape; its product must equal the number of values
	 * @return this builder
	 */
	public OnnxModelBuilder initializer(String name, long[] values, long... dims) {
		checkElementCount(name, values.length, dims);
		ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		raw.asLongBuffer().put(values);
		this.initializers.add(tensor(name, TensorType.INT64, raw.array(), dims));
		return this;
	}

	/**
	 * Adds a node of the default ONNX domain; its name is generated from the op type.
	 * @param opType the operator, for example {@code "Conv"}
	 * @param inputs the input names; an empty string skips an optional input
	 * @param outputs the output names
	 * @param attributes the attributes
	 * @return this builder
	 */
	public OnnxModelBuilder node(String opType, List<String> inputs, List<String> outputs, Attribute... attributes) {
		// NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5
		ProtoWriter node = new ProtoWriter();
		inputs.forEach((input) -> node.string(1, input));
		outputs.forEach((output) -> node.string(2, output));
		node.string(3, opType + "_" + this.nodes.size());
		node.string(4, opType);
		for (Attribute attribute : attributes) {
			node.bytes(5, attribute.encoded());
		}
		this.nodes.add(node);
		return this;
	}

	/**
	 * Encodes the model.
	 * @return the bytes of an {@code .onnx} file
	 */
	public byte[] toByteArray() {
		ProtoWriter graph = graphProto();
		// OperatorSetIdProto: version = 2 (an absent domain means the default ONNX
		// domain)
		ProtoWriter opsetImport = new ProtoWriter().varint(2, this.opset);
		// ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8
		return new ProtoWriter().varint(1, IR_VERSION)
			.string(2, PRODUCER)
			.message(7, graph)
			.message(8, opsetImport)
			.toByteArray();
	}

	/**
	 * Encodes the graph alone, as the body of a node's GRAPH attribute.
	 * @return the GraphProto
	 */
	ProtoWriter graphProto() {
		// GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12
		ProtoWriter graph = new ProtoWriter();
		this.nodes.forEach((node) -> graph.message(1, node));
		graph.string(2, this.graphName);
		this.initializers.forEach((initializer) -> graph.message(5, initializer));
		this.inputs.forEach((input) -> graph.message(11, input));
		this.outputs.forEach((output) -> graph.message(12, output));
		return graph;
	}

	/**
	 * Encodes the model and writes it to a file, creating missing parent directories.
	 * @param file the target file, replaced if it exists
	 * @return the file
	 */
	public Path writeTo(Path file) {
		try {
			Path parent = file.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			if (this.externalDataFile != null) {
				Files.write(file.toAbsolutePath().resolveSibling(this.externalDataFile),
						this.externalData.toByteArray());
			}
			return Files.write(file, toByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write ONNX model to " + file, ex);
		}
	}

	private static ProtoWriter valueInfo(String name, TensorType type, Object[] dims) {
		// TensorShapeProto.Dimension: dim_value = 1, dim_param = 2
		ProtoWriter shape = new ProtoWriter();
		for (Object dim : dims) {
			ProtoWriter dimension = new ProtoWriter();
			if (dim instanceof Integer || dim instanceof Long) {
				dimension.varint(1, ((Number) dim).longValue());
			}
			else if (dim instanceof String symbol) {
				dimension.string(2, symbol);
			}
			else {
				throw new IllegalArgumentException(
						"Dimension of '" + name + "' must be an Integer, Long or String: " + dim);
			}
			shape.message(1, dimension);
		}
		// TypeProto.Tensor: elem_type = 1, shape = 2; TypeProto: tensor_type = 1
		ProtoWriter tensorType = new ProtoWriter().varint(1, type.code()).message(2, shape);
		ProtoWriter typeProto = new ProtoWriter().message(1, tensorType);
		// ValueInfoProto: name = 1, type = 2
		return new ProtoWriter().string(1, name).message(2, typeProto);
	}

	private static ProtoWriter tensor(String name, TensorType type, byte[] littleEndianData, long[] dims) {
		// TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9
		ProtoWriter tensor = new ProtoWriter();
		if (dims.length > 0) {
			tensor.packedVarints(1, dims);
		}
		return tensor.varint(2, type.code()).string(8, name).bytes(9, littleEndianData);
	}

	private static void checkElementCount(String name, int count, long[] dims) {
		long expected = 1;
		for (long dim : dims) {
			expected *= dim;
		}
		if (expected != count) {
			throw new IllegalArgumentException(
					"Initializer '" + name + "' has " + count + " values but its dims hold " + expected);
		}
	}

}
