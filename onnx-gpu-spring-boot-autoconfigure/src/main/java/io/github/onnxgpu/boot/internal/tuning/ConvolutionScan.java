package io.github.onnxgpu.boot.internal.tuning;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds out whether an ONNX model convolves over 1-D data, reading its protobuf encoding
 * directly (ONNX Runtime's Java API does not expose the graph, and no protobuf library is
 * needed).
 * <p>
 * A node counts when its op type is {@code Conv} or {@code ConvTranspose} in the default
 * domain (empty or {@code ai.onnx}) and either its {@code kernel_shape} attribute has
 * exactly one element or, without {@code kernel_shape}, its weight (second input) is an
 * initializer with exactly three dims. Covered: the main graph, the subgraphs of its
 * nodes' GRAPH and GRAPHS attributes (the branches of {@code If}, the bodies of
 * {@code Loop} and {@code Scan}), at any depth, and the nodes of the model's local
 * functions (where only {@code kernel_shape} can tell, since a function has no
 * initializers). A weight is matched by name against the initializers of all graphs of
 * the model, so a subgraph's convolution over an outer graph's weight counts too. Not
 * covered: weights without {@code kernel_shape} that are not initializers (made by a
 * {@code Constant} node, dequantized, or given as graph inputs), and the graphs of
 * {@code training_info}.
 * <p>
 * The whole stream is read, so that a truncated model is reported, but tensor contents
 * ({@code raw_data} and the like) are skipped, never loaded: a model of several gigabytes
 * takes little memory. Every length is checked against the message that encloses it, so a
 * corrupt file fails with an {@link IOException} instead of allocating a huge array or
 * looping.
 */
public final class ConvolutionScan {

	// ModelProto: ir_version = 1, graph = 7, opset_import = 8, functions = 25
	private static final int MODEL_IR_VERSION = 1;

	private static final int MODEL_GRAPH = 7;

	private static final int MODEL_OPSET_IMPORT = 8;

	private static final int MODEL_FUNCTIONS = 25;

	// GraphProto: node = 1, initializer = 5
	private static final int GRAPH_NODE = 1;

	private static final int GRAPH_INITIALIZER = 5;

	// FunctionProto: node = 7
	private static final int FUNCTION_NODE = 7;

	// NodeProto: input = 1, op_type = 4, attribute = 5, domain = 7
	private static final int NODE_INPUT = 1;

	private static final int NODE_OP_TYPE = 4;

	private static final int NODE_ATTRIBUTE = 5;

	private static final int NODE_DOMAIN = 7;

	// AttributeProto: name = 1, g = 6, ints = 8, graphs = 11
	private static final int ATTRIBUTE_NAME = 1;

	private static final int ATTRIBUTE_GRAPH = 6;

	private static final int ATTRIBUTE_INTS = 8;

	private static final int ATTRIBUTE_GRAPHS = 11;

	// TensorProto: dims = 1, name = 8
	private static final int TENSOR_DIMS = 1;

	private static final int TENSOR_NAME = 8;

	private static final int WIRE_VARINT = 0;

	private static final int WIRE_FIXED64 = 1;

	private static final int WIRE_LENGTH_DELIMITED = 2;

	private static final int WIRE_FIXED32 = 5;

	/** Longer names are kept only as "too long", which no real model needs. */
	private static final int MAX_NAME_BYTES = 64 * 1024;

	/** If inside Loop inside If and so on: real models nest a few levels at most. */
	private static final int MAX_GRAPH_DEPTH = 64;

	/** Protobuf's largest field number, 2^29 - 1. */
	private static final long MAX_FIELD_NUMBER = (1L << 29) - 1;

	private static final long UNBOUNDED = Long.MAX_VALUE;

	private final InputStream in;

	private long position;

	private final Set<String> weightsWithoutKernelShape = new HashSet<>();

	private final Set<String> threeDimensionalInitializers = new HashSet<>();

	private boolean found;

	private ConvolutionScan(InputStream in) {
		this.in = in;
	}

	/**
	 * Reads an ONNX model to its end and tells whether it has a convolution over 1-D
	 * data. The stream is not closed.
	 * @param model the bytes of an {@code .onnx} file, buffered or not
	 * @return whether a {@code Conv} or {@code ConvTranspose} node works on 1-D data
	 * @throws IOException if the stream cannot be read, ends early or is not an ONNX
	 * model
	 */
	public static boolean hasOneDimensionalConvolution(InputStream model) throws IOException {
		InputStream buffered = (model instanceof BufferedInputStream) ? model : new BufferedInputStream(model);
		return new ConvolutionScan(buffered).scanModel();
	}

	private boolean scanModel() throws IOException {
		boolean irVersion = false;
		boolean graph = false;
		boolean opsetImport = false;
		while (true) {
			long tag = readTagOrEnd();
			if (tag < 0) {
				break;
			}
			int field = field(tag);
			int wireType = wireType(tag);
			if (field == MODEL_IR_VERSION && wireType == WIRE_VARINT) {
				irVersion = true;
				readVarint();
			}
			else if (field == MODEL_GRAPH) {
				graph = true;
				scanGraph(messageEnd(wireType, UNBOUNDED, "graph"), 0);
			}
			else if (field == MODEL_OPSET_IMPORT) {
				opsetImport = true;
				skipField(wireType, UNBOUNDED);
			}
			else if (field == MODEL_FUNCTIONS) {
				scanFunction(messageEnd(wireType, UNBOUNDED, "function"));
			}
			else {
				skipField(wireType, UNBOUNDED);
			}
		}
		if (!irVersion || !graph || !opsetImport) {
			throw new IOException("Not an ONNX model: after " + this.position + " bytes it has "
					+ ((!irVersion) ? "no ir_version" : (!graph) ? "no graph" : "no opset_import")
					+ " (is the file complete?)");
		}
		return this.found;
	}

	private void scanGraph(long end, int depth) throws IOException {
		if (depth >= MAX_GRAPH_DEPTH) {
			throw corrupt("graphs nested more than " + MAX_GRAPH_DEPTH + " levels deep");
		}
		while (this.position < end) {
			long tag = readTag(end);
			int wireType = wireType(tag);
			switch (field(tag)) {
				case GRAPH_NODE -> scanNode(messageEnd(wireType, end, "node"), depth);
				case GRAPH_INITIALIZER -> scanInitializer(messageEnd(wireType, end, "initializer"));
				default -> skipField(wireType, end);
			}
		}
	}

	private void scanFunction(long end) throws IOException {
		while (this.position < end) {
			long tag = readTag(end);
			int wireType = wireType(tag);
			if (field(tag) == FUNCTION_NODE) {
				scanNode(messageEnd(wireType, end, "function node"), 0);
			}
			else {
				skipField(wireType, end);
			}
		}
	}

	private void scanNode(long end, int depth) throws IOException {
		int inputCount = 0;
		String weight = null;
		String opType = null;
		String domain = "";
		int kernelShapeLength = -1;
		while (this.position < end) {
			long tag = readTag(end);
			int wireType = wireType(tag);
			switch (field(tag)) {
				case NODE_INPUT -> {
					String input = readString(wireType, end, "node input");
					if (inputCount++ == 1) {
						weight = input;
					}
				}
				case NODE_OP_TYPE -> opType = readString(wireType, end, "op_type");
				case NODE_DOMAIN -> domain = readString(wireType, end, "domain");
				case NODE_ATTRIBUTE -> {
					int length = scanAttribute(messageEnd(wireType, end, "attribute"), depth);
					if (length >= 0) {
						kernelShapeLength = length;
					}
				}
				default -> skipField(wireType, end);
			}
		}
		boolean convolution = ("Conv".equals(opType) || "ConvTranspose".equals(opType))
				&& (domain.isEmpty() || "ai.onnx".equals(domain));
		if (!convolution) {
			return;
		}
		if (kernelShapeLength == 1) {
			this.found = true;
		}
		else if (kernelShapeLength <= 0 && weight != null) {
			this.weightsWithoutKernelShape.add(weight);
			if (this.threeDimensionalInitializers.contains(weight)) {
				this.found = true;
			}
		}
	}

	// Scans an attribute, descending into its subgraphs; returns the number of elements
	// if it is kernel_shape, otherwise -1.
	private int scanAttribute(long end, int depth) throws IOException {
		String name = null;
		int ints = 0;
		while (this.position < end) {
			long tag = readTag(end);
			int wireType = wireType(tag);
			switch (field(tag)) {
				case ATTRIBUTE_NAME -> name = readString(wireType, end, "attribute name");
				case ATTRIBUTE_INTS -> ints += countInts(wireType, end);
				case ATTRIBUTE_GRAPH, ATTRIBUTE_GRAPHS -> scanGraph(messageEnd(wireType, end, "subgraph"), depth + 1);
				default -> skipField(wireType, end);
			}
		}
		return "kernel_shape".equals(name) ? ints : -1;
	}

	private void scanInitializer(long end) throws IOException {
		int dims = 0;
		String name = null;
		while (this.position < end) {
			long tag = readTag(end);
			int wireType = wireType(tag);
			switch (field(tag)) {
				case TENSOR_DIMS -> dims += countInts(wireType, end);
				case TENSOR_NAME -> name = readString(wireType, end, "initializer name");
				default -> skipField(wireType, end);
			}
		}
		if (dims == 3 && name != null) {
			this.threeDimensionalInitializers.add(name);
			if (this.weightsWithoutKernelShape.contains(name)) {
				this.found = true;
			}
		}
	}

	// Counts the values of a repeated int64 field, packed or not.
	private int countInts(int wireType, long end) throws IOException {
		if (wireType == WIRE_VARINT) {
			readVarint();
			return 1;
		}
		long packedEnd = messageEnd(wireType, end, "packed integers");
		int count = 0;
		while (this.position < packedEnd) {
			readVarint();
			count++;
		}
		if (this.position != packedEnd) {
			throw corrupt("packed integers run past their length");
		}
		return count;
	}

	// Reads a string field. Names longer than MAX_NAME_BYTES are skipped and read as an
	// empty string, which matches no op type and no weight of interest.
	private String readString(int wireType, long end, String what) throws IOException {
		long stringEnd = messageEnd(wireType, end, what);
		long length = stringEnd - this.position;
		if (length > MAX_NAME_BYTES) {
			skipBytes(length);
			return "";
		}
		byte[] bytes = new byte[(int) length];
		int read = this.in.readNBytes(bytes, 0, bytes.length);
		this.position += read;
		if (read < bytes.length) {
			throw truncated();
		}
		return new String(bytes, StandardCharsets.UTF_8);
	}

	// Reads the length of a length-delimited field, checks it against the enclosing
	// message and returns the position where the field ends.
	private long messageEnd(int wireType, long end, String what) throws IOException {
		if (wireType != WIRE_LENGTH_DELIMITED) {
			throw corrupt(what + " has wire type " + wireType + " instead of " + WIRE_LENGTH_DELIMITED);
		}
		long length = readVarint();
		long left = end - this.position;
		if (length < 0 || length > left) {
			throw corrupt(what + " claims " + Long.toUnsignedString(length) + " bytes but only " + left
					+ " are left in its enclosing message");
		}
		return this.position + length;
	}

	private void skipField(int wireType, long end) throws IOException {
		switch (wireType) {
			case WIRE_VARINT -> readVarint();
			case WIRE_FIXED64 -> skipBytes(8);
			case WIRE_FIXED32 -> skipBytes(4);
			case WIRE_LENGTH_DELIMITED -> skipBytes(messageEnd(wireType, end, "field") - this.position);
			default -> throw corrupt("unsupported wire type " + wireType);
		}
		if (this.position > end) {
			throw corrupt("a field runs past the end of its enclosing message");
		}
	}

	private void skipBytes(long count) throws IOException {
		try {
			this.in.skipNBytes(count);
		}
		catch (EOFException ex) {
			throw truncated();
		}
		this.position += count;
	}

	// Reads a tag inside a message that has not ended yet.
	private long readTag(long end) throws IOException {
		long tag = readTagOrEnd();
		if (tag < 0) {
			throw truncated();
		}
		if (this.position > end) {
			throw corrupt("a tag runs past the end of its enclosing message");
		}
		return tag;
	}

	// Reads a tag, or returns -1 at the end of the stream.
	private long readTagOrEnd() throws IOException {
		int first = this.in.read();
		if (first < 0) {
			return -1;
		}
		this.position++;
		long tag = (first < 0x80) ? first : continueVarint(first);
		long number = tag >>> 3;
		if (number == 0 || number > MAX_FIELD_NUMBER) {
			throw corrupt("invalid field number " + number);
		}
		return tag;
	}

	private long readVarint() throws IOException {
		int first = this.in.read();
		if (first < 0) {
			throw truncated();
		}
		this.position++;
		return (first < 0x80) ? first : continueVarint(first);
	}

	private long continueVarint(int first) throws IOException {
		long value = first & 0x7F;
		for (int shift = 7; shift < 64; shift += 7) {
			int next = this.in.read();
			if (next < 0) {
				throw truncated();
			}
			this.position++;
			value |= (long) (next & 0x7F) << shift;
			if (next < 0x80) {
				return value;
			}
		}
		throw corrupt("a varint is longer than ten bytes");
	}

	private static int field(long tag) {
		return (int) (tag >>> 3);
	}

	private static int wireType(long tag) {
		return (int) (tag & 0x7);
	}

	private IOException truncated() {
		return new EOFException("ONNX model ends early, after " + this.position
				+ " bytes, inside a field: the file is truncated (an interrupted download or copy?)");
	}

	private IOException corrupt(String problem) {
		return new IOException("Not an ONNX model or corrupt: at byte " + this.position + ", " + problem);
	}

}
