package io.github.onnxgpu.boot.internal.tuning;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

/**
 * Finds out whether an ONNX model convolves over 1-D data, reading the fields it needs of
 * the model's protobuf encoding with protobuf-java's {@link CodedInputStream} (ONNX
 * Runtime's Java API does not expose the graph).
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
 * ({@code raw_data} and the like) are skipped, never loaded: a large model takes little
 * memory (an {@code .onnx} file is at most 2 GiB, protobuf's limit; larger weights live
 * in external data files, which are not read). Every length is checked against the
 * message that encloses it, so a corrupt file fails with an {@link IOException} instead
 * of allocating a huge array or looping.
 */
public final class ConvolutionScan {

	private static final int VARINT = WireFormat.WIRETYPE_VARINT;

	private static final int BYTES = WireFormat.WIRETYPE_LENGTH_DELIMITED;

	// the tags (field number << 3 | wire type) of the fields read, from onnx.proto

	private static final int MODEL_IR_VERSION = 1 << 3 | VARINT;

	private static final int MODEL_GRAPH = 7 << 3 | BYTES;

	private static final int MODEL_OPSET_IMPORT = 8 << 3 | BYTES;

	private static final int MODEL_FUNCTIONS = 25 << 3 | BYTES;

	private static final int GRAPH_NODE = 1 << 3 | BYTES;

	private static final int GRAPH_INITIALIZER = 5 << 3 | BYTES;

	private static final int FUNCTION_NODE = 7 << 3 | BYTES;

	private static final int NODE_INPUT = 1 << 3 | BYTES;

	private static final int NODE_OP_TYPE = 4 << 3 | BYTES;

	private static final int NODE_ATTRIBUTE = 5 << 3 | BYTES;

	private static final int NODE_DOMAIN = 7 << 3 | BYTES;

	private static final int ATTRIBUTE_NAME = 1 << 3 | BYTES;

	private static final int ATTRIBUTE_GRAPH = 6 << 3 | BYTES;

	private static final int ATTRIBUTE_INTS = 8 << 3 | VARINT;

	private static final int ATTRIBUTE_INTS_PACKED = 8 << 3 | BYTES;

	private static final int ATTRIBUTE_GRAPHS = 11 << 3 | BYTES;

	private static final int TENSOR_DIMS = 1 << 3 | VARINT;

	private static final int TENSOR_DIMS_PACKED = 1 << 3 | BYTES;

	private static final int TENSOR_NAME = 8 << 3 | BYTES;

	/** If inside Loop inside If and so on: real models nest a few levels at most. */
	private static final int MAX_GRAPH_DEPTH = 64;

	private final CodedInputStream in;

	private final EndAware stream;

	private final Set<String> weightsWithoutKernelShape = new HashSet<>();

	private final Set<String> threeDimensionalInitializers = new HashSet<>();

	private boolean found;

	private ConvolutionScan(InputStream model) {
		this.stream = new EndAware(model);
		this.in = CodedInputStream.newInstance(this.stream);
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
		ConvolutionScan scan = new ConvolutionScan(model);
		try {
			return scan.scanModel();
		}
		catch (InvalidProtocolBufferException ex) {
			throw scan.stream.ended ? scan.truncated() : scan.corrupt(ex.getMessage());
		}
	}

	private boolean scanModel() throws IOException {
		boolean irVersion = false;
		boolean graph = false;
		boolean opsetImport = false;
		for (int tag = this.in.readTag(); tag != 0; tag = this.in.readTag()) {
			switch (tag) {
				case MODEL_IR_VERSION -> {
					irVersion = true;
					this.in.readInt64();
				}
				case MODEL_GRAPH -> {
					graph = true;
					scanGraph(0);
				}
				case MODEL_OPSET_IMPORT -> {
					opsetImport = true;
					this.in.skipField(tag);
				}
				case MODEL_FUNCTIONS -> scanFunction();
				default -> skip(tag);
			}
		}
		if (!irVersion || !graph || !opsetImport) {
			throw new IOException("Not an ONNX model: after " + this.in.getTotalBytesRead() + " bytes it has "
					+ ((!irVersion) ? "no ir_version" : (!graph) ? "no graph" : "no opset_import")
					+ " (is the file complete?)");
		}
		return this.found;
	}

	private void scanGraph(int depth) throws IOException {
		if (depth >= MAX_GRAPH_DEPTH) {
			throw corrupt("graphs nested more than " + MAX_GRAPH_DEPTH + " levels deep");
		}
		int limit = enter("graph");
		for (int tag = this.in.readTag(); tag != 0; tag = this.in.readTag()) {
			switch (tag) {
				case GRAPH_NODE -> scanNode(depth);
				case GRAPH_INITIALIZER -> scanInitializer();
				default -> skip(tag);
			}
		}
		this.in.popLimit(limit);
	}

	private void scanFunction() throws IOException {
		int limit = enter("function");
		for (int tag = this.in.readTag(); tag != 0; tag = this.in.readTag()) {
			if (tag == FUNCTION_NODE) {
				scanNode(0);
			}
			else {
				skip(tag);
			}
		}
		this.in.popLimit(limit);
	}

	private void scanNode(int depth) throws IOException {
		int limit = enter("node");
		int inputCount = 0;
		String weight = null;
		String opType = null;
		String domain = "";
		int kernelShapeLength = -1;
		for (int tag = this.in.readTag(); tag != 0; tag = this.in.readTag()) {
			switch (tag) {
				case NODE_INPUT -> {
					String input = this.in.readString();
					if (inputCount++ == 1) {
						weight = input;
					}
				}
				case NODE_OP_TYPE -> opType = this.in.readString();
				case NODE_DOMAIN -> domain = this.in.readString();
				case NODE_ATTRIBUTE -> {
					int length = scanAttribute(depth);
					if (length >= 0) {
						kernelShapeLength = length;
					}
				}
				default -> skip(tag);
			}
		}
		this.in.popLimit(limit);
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
			this.found |= this.threeDimensionalInitializers.contains(weight);
		}
	}

	// Scans an attribute, descending into its subgraphs; returns the number of elements
	// if it is kernel_shape, otherwise -1.
	private int scanAttribute(int depth) throws IOException {
		int limit = enter("attribute");
		String name = null;
		int ints = 0;
		for (int tag = this.in.readTag(); tag != 0; tag = this.in.readTag()) {
			switch (tag) {
				case ATTRIBUTE_NAME -> name = this.in.readString();
				case ATTRIBUTE_INTS, ATTRIBUTE_INTS_PACKED -> ints += countInts(tag);
				case ATTRIBUTE_GRAPH, ATTRIBUTE_GRAPHS -> scanGraph(depth + 1);
				default -> skip(tag);
			}
		}
		this.in.popLimit(limit);
		return "kernel_shape".equals(name) ? ints : -1;
	}

	private void scanInitializer() throws IOException {
		int limit = enter("initializer");
		int dims = 0;
		String name = null;
		for (int tag = this.in.readTag(); tag != 0; tag = this.in.readTag()) {
			switch (tag) {
				case TENSOR_DIMS, TENSOR_DIMS_PACKED -> dims += countInts(tag);
				case TENSOR_NAME -> name = this.in.readString();
				default -> skip(tag);
			}
		}
		this.in.popLimit(limit);
		if (dims == 3 && name != null) {
			this.threeDimensionalInitializers.add(name);
			this.found |= this.weightsWithoutKernelShape.contains(name);
		}
	}

	// Counts the values of a repeated int64 field, packed or not.
	private int countInts(int tag) throws IOException {
		if (WireFormat.getTagWireType(tag) == VARINT) {
			this.in.readInt64();
			return 1;
		}
		int limit = enter("packed integers");
		int count = 0;
		while (!this.in.isAtEnd()) {
			this.in.readInt64();
			count++;
		}
		this.in.popLimit(limit);
		return count;
	}

	// Reads the length of a length-delimited message, checks it against the enclosing
	// message and makes it the limit of what is read; returns the enclosing limit.
	private int enter(String what) throws IOException {
		int length = this.in.readRawVarint32();
		int left = this.in.getBytesUntilLimit();
		if (length < 0 || (left >= 0 && length > left)) {
			throw corrupt(what + " claims " + Integer.toUnsignedString(length) + " bytes but only " + left
					+ " are left in its enclosing message");
		}
		return this.in.pushLimit(length);
	}

	private void skip(int tag) throws IOException {
		if (!this.in.skipField(tag)) {
			throw corrupt("an end-group tag outside a group");
		}
	}

	private IOException truncated() {
		return new EOFException("ONNX model ends early, after " + this.in.getTotalBytesRead()
				+ " bytes, inside a field: the file is truncated (an interrupted download or copy?)");
	}

	private IOException corrupt(String problem) {
		return new IOException("Not an ONNX model or corrupt: at byte " + this.in.getTotalBytesRead() + ", " + problem);
	}

	/** Remembers whether the stream has ended, to tell a truncated file. */
	private static final class EndAware extends FilterInputStream {

		private boolean ended;

		EndAware(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			return ended(super.read());
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			return ended(super.read(buffer, offset, length));
		}

		private int ended(int read) {
			this.ended |= read < 0;
			return read;
		}

	}

}
