package io.github.onnxgpu.boot.internal.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import org.jspecify.annotations.Nullable;

/**
 * What the start-up checks of a text encoder read from its ONNX file, with
 * protobuf-java's {@link CodedInputStream} (ONNX Runtime's Java API does not expose the
 * graph): the main graph's inputs, and the rows of the embedding table that a
 * {@code Gather} node looks {@code input_ids} up in. Tensor contents are skipped, never
 * loaded.
 *
 * @param inputs the graph's inputs that are not initializers, in order
 * @param tableRows the rows of the word embedding table gathered by {@code input_ids},
 * {@code null} when no {@code Gather} on an initializer takes {@code input_ids} directly
 * (the check is then skipped)
 */
public record EmbeddingGraph(Set<String> inputs, @Nullable Long tableRows) {

	private static final int BYTES = WireFormat.WIRETYPE_LENGTH_DELIMITED;

	private static final int MODEL_GRAPH = 7 << 3 | BYTES;

	private static final int GRAPH_NODE = 1 << 3 | BYTES;

	private static final int GRAPH_INITIALIZER = 5 << 3 | BYTES;

	private static final int GRAPH_INPUT = 11 << 3 | BYTES;

	private static final int NODE_INPUT = 1 << 3 | BYTES;

	private static final int NODE_OP_TYPE = 4 << 3 | BYTES;

	private static final int TENSOR_DIMS = 1 << 3 | WireFormat.WIRETYPE_VARINT;

	private static final int TENSOR_DIMS_PACKED = 1 << 3 | BYTES;

	private static final int TENSOR_NAME = 8 << 3 | BYTES;

	private static final int VALUE_INFO_NAME = 1 << 3 | BYTES;

	/**
	 * Read a model's main graph. The stream is not closed.
	 * @param model the bytes of an {@code .onnx} file
	 * @param idsInput the input whose table is looked for, such as {@code input_ids}
	 * @return what was read
	 * @throws IOException if the stream cannot be read or is no ONNX model
	 */
	public static EmbeddingGraph read(InputStream model, String idsInput) throws IOException {
		CodedInputStream in = CodedInputStream.newInstance(model);
		in.setSizeLimit(Integer.MAX_VALUE);
		Scan scan = new Scan();
		boolean graph = false;
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			if (tag == MODEL_GRAPH) {
				graph = true;
				int limit = in.pushLimit(in.readRawVarint32());
				scan.graph(in);
				in.popLimit(limit);
			}
			else {
				in.skipField(tag);
			}
		}
		if (!graph) {
			throw new IOException("Not an ONNX model: it has no graph");
		}
		Set<String> inputs = new LinkedHashSet<>(scan.inputs);
		inputs.removeAll(scan.initializerDims.keySet());
		Long rows = null;
		for (List<String> gather : scan.gathers) {
			long[] dims = scan.initializerDims.get(gather.get(0));
			if (gather.get(1).equals(idsInput) && dims != null && dims.length == 2) {
				rows = dims[0];
				break;
			}
		}
		return new EmbeddingGraph(inputs, rows);
	}

	private static final class Scan {

		private final List<String> inputs = new ArrayList<>();

		private final Map<String, long[]> initializerDims = new HashMap<>();

		private final List<List<String>> gathers = new ArrayList<>();

		void graph(CodedInputStream in) throws IOException {
			for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
				switch (tag) {
					case GRAPH_NODE -> node(in);
					case GRAPH_INITIALIZER -> initializer(in);
					case GRAPH_INPUT -> input(in);
					default -> in.skipField(tag);
				}
			}
		}

		private void node(CodedInputStream in) throws IOException {
			int limit = in.pushLimit(in.readRawVarint32());
			List<String> nodeInputs = new ArrayList<>();
			String opType = "";
			for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
				switch (tag) {
					case NODE_INPUT -> nodeInputs.add(in.readString());
					case NODE_OP_TYPE -> opType = in.readString();
					default -> in.skipField(tag);
				}
			}
			in.popLimit(limit);
			if (opType.equals("Gather") && nodeInputs.size() >= 2) {
				this.gathers.add(nodeInputs);
			}
		}

		private void initializer(CodedInputStream in) throws IOException {
			int limit = in.pushLimit(in.readRawVarint32());
			List<Long> dims = new ArrayList<>();
			String name = "";
			for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
				switch (tag) {
					case TENSOR_DIMS -> dims.add(in.readInt64());
					case TENSOR_DIMS_PACKED -> {
						int packed = in.pushLimit(in.readRawVarint32());
						while (in.getBytesUntilLimit() > 0) {
							dims.add(in.readInt64());
						}
						in.popLimit(packed);
					}
					case TENSOR_NAME -> name = in.readString();
					default -> in.skipField(tag);
				}
			}
			in.popLimit(limit);
			this.initializerDims.put(name, dims.stream().mapToLong(Long::longValue).toArray());
		}

		private void input(CodedInputStream in) throws IOException {
			int limit = in.pushLimit(in.readRawVarint32());
			for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
				if (tag == VALUE_INFO_NAME) {
					this.inputs.add(in.readString());
				}
				else {
					in.skipField(tag);
				}
			}
			in.popLimit(limit);
		}

	}

}
