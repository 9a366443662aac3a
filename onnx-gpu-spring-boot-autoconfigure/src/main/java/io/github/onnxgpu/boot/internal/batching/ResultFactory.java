package io.github.onnxgpu.boot.internal.batching;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.CodedOutputStream;

/**
 * Turns each caller's slice of a batch into an {@link OrtSession.Result}, which only ONNX
 * Runtime can create (its constructor is package-private). It runs a small model of
 * {@code Identity} nodes, one per output of the served model, whose outputs carry the
 * served model's output names: the result is ONNX Runtime's own, and the caller closes it
 * as it would close an unbatched one.
 */
final class ResultFactory implements AutoCloseable {

	private final OrtSession session;

	private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();

	private boolean closed;

	// served model's output name -> this model's input name
	private final Map<String, String> inputNames;

	private ResultFactory(OrtSession session, Map<String, String> inputNames) {
		this.session = session;
		this.inputNames = inputNames;
	}

	/**
	 * Create the factory for a model's outputs.
	 * @param environment the environment
	 * @param outputs the served model's outputs
	 * @return the factory, to be closed with the model
	 * @throws OrtException when ONNX Runtime cannot load the identity model
	 */
	static ResultFactory create(OrtEnvironment environment, Map<String, TensorInfo> outputs) throws OrtException {
		Map<String, String> inputNames = new LinkedHashMap<>();
		int index = 0;
		for (String output : outputs.keySet()) {
			inputNames.put(output, "onnxgpu_slice_" + index++);
		}
		byte[] model = identityModel(outputs, inputNames);
		try (SessionOptions options = new SessionOptions()) {
			// each caller makes its own result on its own thread: no pool to fight over
			options.setIntraOpNumThreads(1);
			options.setInterOpNumThreads(1);
			options.addConfigEntry("session.intra_op.allow_spinning", "0");
			options.setOptimizationLevel(SessionOptions.OptLevel.NO_OPT);
			options.setMemoryPatternOptimization(false);
			return new ResultFactory(environment.createSession(model, options), inputNames);
		}
	}

	/**
	 * A result holding copies of a caller's slices, under the served model's output
	 * names, in the requested order.
	 * @param slices the slices by output name; closed by the caller
	 * @param outputs the outputs to put in the result, in order
	 * @return the result, owned by the caller
	 * @throws OrtException when ONNX Runtime fails
	 */
	Result result(Map<String, OnnxTensor> slices, List<String> outputs) throws OrtException {
		Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
		for (String output : outputs) {
			inputs.put(this.inputNames.get(output), slices.get(output));
		}
		Lock lock = this.inFlight.readLock();
		lock.lock();
		try {
			if (this.closed) {
				throw new IllegalStateException("The batcher is closed: the application is shutting down");
			}
			return this.session.run(inputs, new LinkedHashSet<>(outputs));
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public void close() {
		close(Duration.ZERO);
	}

	/**
	 * Close the session once no result is being made, or leave it open (a leak, not a
	 * crash) when one still is after the wait.
	 * @param wait how long to wait
	 */
	void close(Duration wait) {
		Lock lock = this.inFlight.writeLock();
		try {
			if (!lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		try {
			if (!this.closed) {
				this.closed = true;
				this.session.close();
			}
		}
		catch (OrtException ex) {
			// nothing more to do at shutdown
		}
		finally {
			lock.unlock();
		}
	}

	// ModelProto { ir_version = 1, opset_import = 8, graph = 7 }, GraphProto { node = 1,
	// name = 2, input = 11, output = 12 }, NodeProto { input = 1, output = 2, op_type = 4
	// }, ValueInfoProto { name = 1, type = 2 }, TypeProto { tensor_type = 1 },
	// TypeProto.Tensor { elem_type = 1 }: no shape, so any rank and size passes through
	static byte[] identityModel(Map<String, TensorInfo> outputs, Map<String, String> inputNames) {
		try {
			ByteArrayOutputStream graph = new ByteArrayOutputStream();
			CodedOutputStream out = CodedOutputStream.newInstance(graph);
			for (String output : outputs.keySet()) {
				out.writeByteArray(1, node(inputNames.get(output), output));
			}
			out.writeString(2, "onnxgpu_batch_slices");
			for (Map.Entry<String, TensorInfo> output : outputs.entrySet()) {
				out.writeByteArray(11, valueInfo(inputNames.get(output.getKey()), output.getValue()));
			}
			for (Map.Entry<String, TensorInfo> output : outputs.entrySet()) {
				out.writeByteArray(12, valueInfo(output.getKey(), output.getValue()));
			}
			out.flush();
			ByteArrayOutputStream model = new ByteArrayOutputStream();
			CodedOutputStream modelOut = CodedOutputStream.newInstance(model);
			modelOut.writeInt64(1, 8);
			modelOut.writeString(2, "onnx-gpu-spring-boot-starter");
			modelOut.writeByteArray(7, graph.toByteArray());
			ByteArrayOutputStream opset = new ByteArrayOutputStream();
			CodedOutputStream opsetOut = CodedOutputStream.newInstance(opset);
			opsetOut.writeString(1, "");
			opsetOut.writeInt64(2, 13);
			opsetOut.flush();
			modelOut.writeByteArray(8, opset.toByteArray());
			modelOut.flush();
			return model.toByteArray();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot write to memory", ex);
		}
	}

	private static byte[] node(String input, String output) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		CodedOutputStream out = CodedOutputStream.newInstance(bytes);
		out.writeString(1, input);
		out.writeString(2, output);
		out.writeString(4, "Identity");
		out.flush();
		return bytes.toByteArray();
	}

	// ONNX's TensorProto.DataType codes; the Java binding's enum numbers its own way
	static int onnxElementType(TensorInfo info) {
		return switch (info.onnxType) {
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> 1;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> 2;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> 3;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> 4;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> 5;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> 6;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> 7;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> 8;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> 9;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> 10;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> 11;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> 12;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> 13;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX64 -> 14;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX128 -> 15;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> 16;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E4M3FN -> 17;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E4M3FNUZ -> 18;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E5M2 -> 19;
			case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E5M2FNUZ -> 20;
			default -> throw new IllegalArgumentException("No ONNX element type for " + info.onnxType);
		};
	}

	private static byte[] valueInfo(String name, TensorInfo info) throws IOException {
		ByteArrayOutputStream tensor = new ByteArrayOutputStream();
		CodedOutputStream tensorOut = CodedOutputStream.newInstance(tensor);
		tensorOut.writeInt32(1, onnxElementType(info));
		tensorOut.flush();
		ByteArrayOutputStream type = new ByteArrayOutputStream();
		CodedOutputStream typeOut = CodedOutputStream.newInstance(type);
		typeOut.writeByteArray(1, tensor.toByteArray());
		typeOut.flush();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		CodedOutputStream out = CodedOutputStream.newInstance(bytes);
		out.writeString(1, name);
		out.writeByteArray(2, type.toByteArray());
		out.flush();
		return bytes.toByteArray();
	}

}
