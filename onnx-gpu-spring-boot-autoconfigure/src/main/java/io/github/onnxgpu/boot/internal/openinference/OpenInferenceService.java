package io.github.onnxgpu.boot.internal.openinference;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModel;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.model.OnnxModelRegistry;

/**
 * The Open Inference Protocol over the configured models, whatever the transport: health,
 * metadata, and inference requests checked against the model (input names, datatypes,
 * ranks, static dimensions, element counts) before any tensor is created, then run
 * through {@link OnnxInference}, so that batching, instances, metrics, observations, the
 * closed-tensor guard and reloads apply as to any other caller.
 * <p>
 * A model is ready when it is warm ({@link ModelStatus#READY}, or
 * {@link ModelStatus#NOT_WARMED} when configured to serve cold): the same truth as its
 * health indicator, which holds the application's readiness. A reload keeps the old
 * version serving until the new one is warm, so a model stays ready through it. The
 * protocol's version of a model is the count of its versions served so far: {@code 1} for
 * the one loaded at start-up, {@code 2} after the first reload swapped in.
 */
public final class OpenInferenceService {

	/**
	 * The platform name of the protocol for a model run by ONNX Runtime.
	 */
	public static final String PLATFORM = "onnx_onnxv1";

	/**
	 * The extension of Triton's that the REST endpoints serve.
	 */
	public static final String BINARY_TENSOR_DATA = "binary_tensor_data";

	private static final Duration NOT_READY_RETRY = Duration.ofSeconds(1);

	private final OnnxModelRegistry registry;

	private final OnnxInference inference;

	private final OrtEnvironment environment;

	private final String serverName;

	private final String serverVersion;

	/**
	 * Create the service.
	 * @param registry the models
	 * @param inference what runs them
	 * @param environment the environment of ONNX Runtime, for the input tensors
	 * @param serverName the server's name in its metadata
	 * @param serverVersion the server's version in its metadata
	 */
	public OpenInferenceService(OnnxModelRegistry registry, OnnxInference inference, OrtEnvironment environment,
			String serverName, String serverVersion) {
		this.registry = registry;
		this.inference = inference;
		this.environment = environment;
		this.serverName = serverName;
		this.serverVersion = serverVersion;
	}

	/**
	 * Whether the server can answer: always, while it runs.
	 * @return {@code true}
	 */
	public boolean live() {
		return true;
	}

	/**
	 * Whether every model is ready.
	 * @return the readiness
	 */
	public boolean ready() {
		return this.registry.models().stream().allMatch(OpenInferenceService::isReady);
	}

	/**
	 * Whether a model is ready.
	 * @param name the model
	 * @param version the version asked for, {@code null} or empty for the running one
	 * @return the readiness
	 * @throws OpenInferenceException when there is no such model or version
	 */
	public boolean modelReady(String name, @Nullable String version) {
		return isReady(model(name, version));
	}

	/**
	 * Check that a model and version exist, before a request's body is read.
	 * @param name the model
	 * @param version the version asked for, {@code null} or empty for the running one
	 * @throws OpenInferenceException when there is no such model or version
	 */
	public void checkModel(String name, @Nullable String version) {
		model(name, version);
	}

	/**
	 * The server's metadata.
	 * @param extensions the extensions the transport serves
	 * @return the metadata
	 */
	public ServerMetadata serverMetadata(List<String> extensions) {
		return new ServerMetadata(this.serverName, this.serverVersion, List.copyOf(extensions));
	}

	/**
	 * A model's metadata.
	 * @param name the model
	 * @param version the version asked for, {@code null} or empty for the running one
	 * @return the metadata
	 * @throws OpenInferenceException when there is no such model or version
	 */
	public ModelMetadata modelMetadata(String name, @Nullable String version) {
		OnnxModel model = model(name, version);
		return new ModelMetadata(model.name(), List.of(versionOf(model)), PLATFORM, metadata(model.inputs()),
				metadata(model.outputs()));
	}

	/**
	 * Run a model.
	 * @param name the model
	 * @param version the version asked for, {@code null} or empty for the running one
	 * @param inputs the inputs as the request carried them
	 * @param requestedOutputs the outputs asked for, {@code null} or empty for all
	 * @return the outputs
	 * @throws OpenInferenceException when the request does not fit the model, or the run
	 * is refused
	 */
	public InferOutcome infer(String name, @Nullable String version, List<RequestTensor> inputs,
			@Nullable List<String> requestedOutputs) {
		OnnxModel model = model(name, version);
		String runningVersion = versionOf(model);
		if (!isReady(model)) {
			throw OpenInferenceException.unavailable("Model '" + name + "' is not ready (" + model.status()
					+ "): it takes requests once warmed up; retry later", NOT_READY_RETRY);
		}
		checkInputs(model, inputs);
		List<String> outputs = outputNames(model, requestedOutputs);
		Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
		try {
			for (RequestTensor input : inputs) {
				tensors.put(input.name(), createTensor(input));
			}
			Set<String> asked = (requestedOutputs == null || requestedOutputs.isEmpty()) ? null
					: new LinkedHashSet<>(outputs);
			try (Result result = this.inference.run(name, tensors, asked)) {
				List<ResponseTensor> answer = new ArrayList<>(outputs.size());
				for (String output : outputs) {
					OnnxValue value = result.get(output)
						.orElseThrow(() -> OpenInferenceException
							.badRequest("Model '" + name + "' gave no output '" + output + "'"));
					answer.add(responseTensor(name, output, value));
				}
				return new InferOutcome(model.name(), runningVersion, answer);
			}
		}
		catch (OnnxModelBusyException ex) {
			throw OpenInferenceException.unavailable(ex.getMessage(), ex.getRetryAfter());
		}
		catch (IllegalStateException ex) {
			// the model closes: the application is shutting down
			throw OpenInferenceException.unavailable("Model '" + name + "' takes no more runs: " + ex.getMessage(),
					NOT_READY_RETRY);
		}
		catch (OrtException ex) {
			throw OpenInferenceException
				.badRequest("Model '" + name + "' cannot run these inputs: ONNX Runtime says " + ex.getMessage());
		}
		finally {
			tensors.values().forEach(OnnxTensor::close);
		}
	}

	/**
	 * The protocol's version of a model: the count of its versions served so far.
	 * @param model the model
	 * @return {@code 1} for the one loaded at start-up, one more per reload swapped in
	 */
	public static String versionOf(OnnxModel model) {
		long generation = (model instanceof ManagedModel managed) ? managed.generation() : 0;
		return Long.toString(generation + 1);
	}

	static boolean isReady(OnnxModel model) {
		ModelStatus status = model.status();
		return status == ModelStatus.READY || status == ModelStatus.NOT_WARMED;
	}

	private OnnxModel model(String name, @Nullable String version) {
		OnnxModel model = this.registry.find(name);
		if (model == null) {
			throw OpenInferenceException.notFound("Unknown model '" + name + "'");
		}
		if (version != null && !version.isEmpty()) {
			String running = versionOf(model);
			if (!running.equals(version)) {
				throw OpenInferenceException
					.notFound("Model '" + name + "' has no version '" + version + "': it serves version " + running
							+ " (versions count the model's reloads: 1 for the one loaded at start-up)");
			}
		}
		return model;
	}

	private static List<TensorMetadata> metadata(Map<String, NodeInfo> nodes) {
		List<TensorMetadata> result = new ArrayList<>(nodes.size());
		nodes.forEach((name, node) -> {
			ValueInfo info = node.getInfo();
			if (info instanceof TensorInfo tensor) {
				Datatype datatype = Datatype.of(tensor.onnxType);
				List<Long> shape = Arrays.stream(tensor.getShape()).map((dim) -> (dim < 0) ? -1 : dim).boxed().toList();
				result.add(
						new TensorMetadata(name, (datatype != null) ? datatype.name() : tensor.onnxType.name(), shape));
			}
			else {
				result.add(new TensorMetadata(name, info.getClass().getSimpleName(), List.of()));
			}
		});
		return result;
	}

	private static void checkInputs(OnnxModel model, List<RequestTensor> inputs) {
		Map<String, NodeInfo> expected = model.inputs();
		Set<String> given = new LinkedHashSet<>();
		for (RequestTensor input : inputs) {
			if (!given.add(input.name())) {
				throw OpenInferenceException
					.badRequest("Input '" + input.name() + "' of model '" + model.name() + "' is given twice");
			}
			NodeInfo node = expected.get(input.name());
			if (node == null) {
				throw OpenInferenceException.badRequest("Model '" + model.name() + "' has no input '" + input.name()
						+ "'; its inputs are " + expected.keySet());
			}
			checkInput(model.name(), input, node);
		}
		for (Map.Entry<String, NodeInfo> entry : expected.entrySet()) {
			if (!given.contains(entry.getKey())) {
				throw OpenInferenceException.badRequest("Model '" + model.name() + "' needs input '" + entry.getKey()
						+ "' (" + describe(entry.getValue()) + "), which the request does not give");
			}
		}
	}

	private static void checkInput(String modelName, RequestTensor input, NodeInfo node) {
		String subject = "Input '" + input.name() + "' of model '" + modelName + "'";
		if (!(node.getInfo() instanceof TensorInfo info)) {
			throw OpenInferenceException.badRequest(subject + " is not a tensor: the protocol cannot carry it");
		}
		Datatype expected = Datatype.of(info.onnxType);
		if (expected == null || expected.javaType() == null) {
			throw OpenInferenceException.badRequest(subject + " is " + ((expected != null) ? expected : info.onnxType)
					+ ", which ONNX Runtime's Java API cannot create tensors of");
		}
		if (input.datatype() != expected) {
			throw OpenInferenceException.badRequest(subject + " is " + expected + ", the request gives "
					+ input.datatype() + ((input.datatype() == Datatype.BYTES) ? " (strings for a number input)" : ""));
		}
		long[] dims = info.getShape();
		long[] shape = input.shape();
		if (dims.length != shape.length) {
			throw OpenInferenceException.badRequest(subject + " has shape " + shapeText(dims) + " (rank " + dims.length
					+ "), the request gives " + shapeText(shape) + " (rank " + shape.length + ")");
		}
		for (int i = 0; i < dims.length; i++) {
			if (shape[i] < 0) {
				throw OpenInferenceException
					.badRequest(subject + ": the request's shape " + shapeText(shape) + " has a negative dimension");
			}
			if (dims[i] >= 0 && dims[i] != shape[i]) {
				throw OpenInferenceException.badRequest(subject + " has shape " + shapeText(dims)
						+ ", the request gives " + shapeText(shape) + ": dimension " + i + " must be " + dims[i]);
			}
		}
		long elements = elementCount(subject, shape);
		if (elements != input.elementCount()) {
			throw OpenInferenceException.badRequest(subject + ": shape " + shapeText(shape) + " holds " + elements
					+ " elements, the request gives " + input.elementCount());
		}
	}

	static long elementCount(String subject, long[] shape) {
		long count = 1;
		for (long dim : shape) {
			if (dim < 0) {
				throw OpenInferenceException
					.badRequest(subject + ": shape " + shapeText(shape) + " has a negative dimension");
			}
			try {
				count = Math.multiplyExact(count, dim);
			}
			catch (ArithmeticException ex) {
				throw OpenInferenceException.badRequest(subject + ": shape " + shapeText(shape) + " is too large");
			}
		}
		return count;
	}

	private static List<String> outputNames(OnnxModel model, @Nullable List<String> requested) {
		if (requested == null || requested.isEmpty()) {
			return List.copyOf(model.outputs().keySet());
		}
		List<String> names = new ArrayList<>();
		for (String name : requested) {
			if (!model.outputs().containsKey(name)) {
				throw OpenInferenceException.badRequest("Model '" + model.name() + "' has no output '" + name
						+ "'; its outputs are " + model.outputs().keySet());
			}
			if (!names.contains(name)) {
				names.add(name);
			}
		}
		return names;
	}

	private OnnxTensor createTensor(RequestTensor input) throws OrtException {
		if (input.datatype() == Datatype.BYTES) {
			String[] strings = input.strings();
			return OnnxTensor.createTensor(this.environment, (strings != null) ? strings : new String[0],
					input.shape());
		}
		ByteBuffer data = input.data();
		if (data == null) {
			data = ByteBuffer.allocateDirect(0);
		}
		if (!data.isDirect()) {
			ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
			direct.put(data.duplicate()).flip();
			data = direct;
		}
		return OnnxTensor.createTensor(this.environment, data, input.shape(), input.datatype().javaType());
	}

	private static ResponseTensor responseTensor(String modelName, String name, OnnxValue value) throws OrtException {
		if (!(value instanceof OnnxTensor tensor)) {
			throw OpenInferenceException.badRequest("Output '" + name + "' of model '" + modelName + "' is a "
					+ value.getType() + ", which the protocol cannot carry: ask for its tensor outputs only");
		}
		TensorInfo info = tensor.getInfo();
		Datatype datatype = Datatype.of(info.onnxType);
		if (datatype == null || datatype.javaType() == null) {
			throw OpenInferenceException.badRequest("Output '" + name + "' of model '" + modelName + "' is "
					+ info.onnxType + ", which ONNX Runtime's Java API cannot read");
		}
		long[] shape = info.getShape();
		if (datatype == Datatype.BYTES) {
			List<String> strings = new ArrayList<>();
			flatten(tensor.getValue(), strings);
			return new ResponseTensor(name, datatype, shape, null, strings.toArray(String[]::new));
		}
		ByteBuffer bytes = tensor.getByteBuffer();
		return new ResponseTensor(name, datatype, shape, littleEndian(bytes, datatype.size()), null);
	}

	private static void flatten(@Nullable Object value, List<String> into) {
		if (value instanceof String string) {
			into.add(string);
		}
		else if (value != null && value.getClass().isArray()) {
			for (int i = 0; i < Array.getLength(value); i++) {
				flatten(Array.get(value, i), into);
			}
		}
	}

	/**
	 * The bytes of a buffer in native order, in little-endian order.
	 * @param bytes the elements in native order
	 * @param size the element size
	 * @return the elements in little-endian order, ordered little-endian
	 */
	static ByteBuffer littleEndian(ByteBuffer bytes, int size) {
		if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || size == 1) {
			return bytes.order(ByteOrder.LITTLE_ENDIAN);
		}
		ByteBuffer swapped = ByteBuffer.allocate(bytes.remaining()).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = bytes.position(); i < bytes.limit(); i += size) {
			for (int b = size - 1; b >= 0; b--) {
				swapped.put(bytes.get(i + b));
			}
		}
		return swapped.flip();
	}

	private static String describe(NodeInfo node) {
		if (node.getInfo() instanceof TensorInfo info) {
			Datatype datatype = Datatype.of(info.onnxType);
			return ((datatype != null) ? datatype.name() : info.onnxType.name()) + " "
					+ shapeText(Arrays.stream(info.getShape()).map((dim) -> (dim < 0) ? -1 : dim).toArray());
		}
		return node.getInfo().toString();
	}

	static String shapeText(long[] shape) {
		return Arrays.toString(shape);
	}

}
