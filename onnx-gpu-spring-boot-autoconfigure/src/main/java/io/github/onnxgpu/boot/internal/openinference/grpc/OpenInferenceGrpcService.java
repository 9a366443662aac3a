package io.github.onnxgpu.boot.internal.openinference.grpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import ai.onnxruntime.platform.Fp16Conversions;
import com.google.protobuf.ByteString;
import inference.GRPCInferenceServiceGrpc;
import inference.OpenInferenceGrpc.InferTensorContents;
import inference.OpenInferenceGrpc.ModelInferRequest;
import inference.OpenInferenceGrpc.ModelInferRequest.InferInputTensor;
import inference.OpenInferenceGrpc.ModelInferRequest.InferRequestedOutputTensor;
import inference.OpenInferenceGrpc.ModelInferResponse;
import inference.OpenInferenceGrpc.ModelInferResponse.InferOutputTensor;
import inference.OpenInferenceGrpc.ModelMetadataRequest;
import inference.OpenInferenceGrpc.ModelMetadataResponse;
import inference.OpenInferenceGrpc.ModelMetadataResponse.TensorMetadata;
import inference.OpenInferenceGrpc.ModelReadyRequest;
import inference.OpenInferenceGrpc.ModelReadyResponse;
import inference.OpenInferenceGrpc.ServerLiveRequest;
import inference.OpenInferenceGrpc.ServerLiveResponse;
import inference.OpenInferenceGrpc.ServerMetadataRequest;
import inference.OpenInferenceGrpc.ServerMetadataResponse;
import inference.OpenInferenceGrpc.ServerReadyRequest;
import inference.OpenInferenceGrpc.ServerReadyResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.onnxgpu.boot.internal.openinference.BinaryTensors;
import io.github.onnxgpu.boot.internal.openinference.Datatype;
import io.github.onnxgpu.boot.internal.openinference.InferOutcome;
import io.github.onnxgpu.boot.internal.openinference.ModelMetadata;
import io.github.onnxgpu.boot.internal.openinference.OpenInferenceException;
import io.github.onnxgpu.boot.internal.openinference.OpenInferenceService;
import io.github.onnxgpu.boot.internal.openinference.RequestTensor;
import io.github.onnxgpu.boot.internal.openinference.ResponseTensor;
import io.github.onnxgpu.boot.internal.openinference.ServerMetadata;

/**
 * The six RPCs of the protocol's {@code GRPCInferenceService}. Inputs come as typed
 * contents or {@code raw_input_contents}; outputs go as {@code raw_output_contents} when
 * the request sent raw inputs or an output has no typed contents (FP16, BF16), as typed
 * contents otherwise. Errors: INVALID_ARGUMENT for a bad request, NOT_FOUND for an
 * unknown model or version, UNAVAILABLE for a run the model cannot take now (a full
 * queue, a timeout, shutdown, warmup), with the trailer {@code grpc-retry-pushback-ms}
 * saying when to retry.
 */
public final class OpenInferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

	static final Metadata.Key<String> RETRY_PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms",
			Metadata.ASCII_STRING_MARSHALLER);

	private static final Log logger = LogFactory.getLog(OpenInferenceGrpcService.class);

	private final OpenInferenceService service;

	/**
	 * Create the service.
	 * @param service the protocol over the models
	 */
	public OpenInferenceGrpcService(OpenInferenceService service) {
		this.service = service;
	}

	@Override
	public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
		answer(observer, () -> ServerLiveResponse.newBuilder().setLive(this.service.live()).build());
	}

	@Override
	public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
		answer(observer, () -> ServerReadyResponse.newBuilder().setReady(this.service.ready()).build());
	}

	@Override
	public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
		answer(observer,
				() -> ModelReadyResponse.newBuilder()
					.setReady(this.service.modelReady(request.getName(), request.getVersion()))
					.build());
	}

	@Override
	public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
		answer(observer, () -> {
			ServerMetadata metadata = this.service.serverMetadata(List.of());
			return ServerMetadataResponse.newBuilder()
				.setName(metadata.name())
				.setVersion(metadata.version())
				.addAllExtensions(metadata.extensions())
				.build();
		});
	}

	@Override
	public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
		answer(observer, () -> {
			ModelMetadata metadata = this.service.modelMetadata(request.getName(), request.getVersion());
			ModelMetadataResponse.Builder builder = ModelMetadataResponse.newBuilder()
				.setName(metadata.name())
				.addAllVersions(metadata.versions())
				.setPlatform(metadata.platform());
			metadata.inputs().forEach((input) -> builder.addInputs(tensor(input)));
			metadata.outputs().forEach((output) -> builder.addOutputs(tensor(output)));
			return builder.build();
		});
	}

	private static TensorMetadata tensor(io.github.onnxgpu.boot.internal.openinference.TensorMetadata tensor) {
		return TensorMetadata.newBuilder()
			.setName(tensor.name())
			.setDatatype(tensor.datatype())
			.addAllShape(tensor.shape())
			.build();
	}

	@Override
	public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
		answer(observer, () -> infer(request));
	}

	private ModelInferResponse infer(ModelInferRequest request) {
		String model = request.getModelName();
		String version = request.getModelVersion();
		this.service.checkModel(model, version);
		boolean raw = request.getRawInputContentsCount() > 0;
		if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
			throw OpenInferenceException.badRequest("The request to model '" + model + "' has "
					+ request.getRawInputContentsCount() + " raw_input_contents for " + request.getInputsCount()
					+ " inputs: give one per input, in the order of the inputs");
		}
		List<RequestTensor> inputs = new ArrayList<>(request.getInputsCount());
		for (int i = 0; i < request.getInputsCount(); i++) {
			InferInputTensor input = request.getInputs(i);
			String subject = "Input '" + input.getName() + "' of model '" + model + "'";
			Datatype datatype = Datatype.named(input.getDatatype());
			if (datatype == null) {
				throw OpenInferenceException.badRequest(subject + ": unknown datatype '" + input.getDatatype()
						+ "'; the protocol's datatypes are " + List.of(Datatype.values()));
			}
			long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
			if (raw) {
				if (input.hasContents()) {
					throw OpenInferenceException.badRequest(subject
							+ " has contents beside raw_input_contents: with raw contents, give no input contents");
				}
				inputs.add(BinaryTensors.read(subject, input.getName(), datatype, shape,
						request.getRawInputContents(i).asReadOnlyByteBuffer()));
			}
			else {
				inputs.add(TypedContents.read(subject, input.getName(), datatype, shape, input.getContents()));
			}
		}
		List<String> outputs = request.getOutputsList().stream().map(InferRequestedOutputTensor::getName).toList();
		InferOutcome outcome = this.service.infer(model, version, inputs, outputs);
		boolean rawOutputs = raw || outcome.outputs()
			.stream()
			.anyMatch((output) -> output.datatype() == Datatype.FP16 || output.datatype() == Datatype.BF16);
		ModelInferResponse.Builder response = ModelInferResponse.newBuilder()
			.setModelName(outcome.modelName())
			.setModelVersion(outcome.modelVersion())
			.setId(request.getId());
		for (ResponseTensor output : outcome.outputs()) {
			InferOutputTensor.Builder tensor = InferOutputTensor.newBuilder()
				.setName(output.name())
				.setDatatype(output.datatype().name());
			for (long dim : output.shape()) {
				tensor.addShape(dim);
			}
			if (rawOutputs) {
				response.addRawOutputContents(ByteString.copyFrom(BinaryTensors.bytes(output)));
			}
			else {
				tensor.setContents(TypedContents.write(output));
			}
			response.addOutputs(tensor);
		}
		return response.build();
	}

	private static <T> void answer(StreamObserver<T> observer, Supplier<T> work) {
		T response;
		try {
			response = work.get();
		}
		catch (OpenInferenceException ex) {
			Status status = switch (ex.getKind()) {
				case BAD_REQUEST -> Status.INVALID_ARGUMENT;
				case NOT_FOUND -> Status.NOT_FOUND;
				case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
				case UNAVAILABLE -> Status.UNAVAILABLE;
			};
			Metadata trailers = new Metadata();
			Duration retryAfter = ex.getRetryAfter();
			if (retryAfter != null) {
				trailers.put(RETRY_PUSHBACK, Long.toString(retryAfter.toMillis()));
			}
			observer.onError(status.withDescription(ex.getMessage()).asRuntimeException(trailers));
			return;
		}
		catch (RuntimeException ex) {
			logger.error("Open Inference Protocol gRPC call failed", ex);
			observer.onError(Status.INTERNAL.withDescription("The server failed on this call; its log tells why")
				.asRuntimeException());
			return;
		}
		observer.onNext(response);
		observer.onCompleted();
	}

	/**
	 * The typed contents of the protocol: one repeated field per family of datatypes.
	 */
	static final class TypedContents {

		private TypedContents() {
		}

		static RequestTensor read(String subject, String name, Datatype datatype, long[] shape,
				InferTensorContents contents) {
			if (datatype == Datatype.BYTES) {
				String[] strings = contents.getBytesContentsList()
					.stream()
					.map((bytes) -> bytes.toString(StandardCharsets.UTF_8))
					.toArray(String[]::new);
				return new RequestTensor(name, datatype, shape, null, strings);
			}
			int count = switch (datatype) {
				case BOOL -> contents.getBoolContentsCount();
				case INT8, INT16, INT32 -> contents.getIntContentsCount();
				case INT64 -> contents.getInt64ContentsCount();
				case UINT8, UINT16, UINT32 -> contents.getUintContentsCount();
				case UINT64 -> contents.getUint64ContentsCount();
				case FP32 -> contents.getFp32ContentsCount();
				case FP64 -> contents.getFp64ContentsCount();
				case FP16, BF16 -> throw OpenInferenceException.badRequest(subject + ": " + datatype
						+ " has no typed contents in the protocol: send it as raw_input_contents");
				case BYTES -> throw new IllegalStateException();
			};
			ByteBuffer buffer = ByteBuffer.allocateDirect(count * datatype.size()).order(ByteOrder.nativeOrder());
			for (int i = 0; i < count; i++) {
				switch (datatype) {
					case BOOL -> buffer.put((byte) (contents.getBoolContents(i) ? 1 : 0));
					case INT8 -> buffer.put((byte) ranged(subject, datatype, i, contents.getIntContents(i), -128, 127));
					case INT16 -> buffer
						.putShort((short) ranged(subject, datatype, i, contents.getIntContents(i), -32768, 32767));
					case INT32 -> buffer.putInt(contents.getIntContents(i));
					case INT64 -> buffer.putLong(contents.getInt64Contents(i));
					case UINT8 -> buffer
						.put((byte) ranged(subject, datatype, i, contents.getUintContents(i) & 0xFFFFFFFFL, 0, 255));
					case UINT16 -> buffer.putShort(
							(short) ranged(subject, datatype, i, contents.getUintContents(i) & 0xFFFFFFFFL, 0, 65535));
					case UINT32 -> buffer.putInt(contents.getUintContents(i));
					case UINT64 -> buffer.putLong(contents.getUint64Contents(i));
					case FP32 -> buffer.putFloat(contents.getFp32Contents(i));
					case FP64 -> buffer.putDouble(contents.getFp64Contents(i));
					default -> throw new IllegalStateException();
				}
			}
			return new RequestTensor(name, datatype, shape, buffer.flip(), null);
		}

		private static long ranged(String subject, Datatype datatype, int index, long value, long min, long max) {
			if (value < min || value > max) {
				throw OpenInferenceException.badRequest(subject + ": element " + index + " is " + value + ", a "
						+ datatype + " input takes " + min + " to " + max);
			}
			return value;
		}

		static InferTensorContents write(ResponseTensor tensor) {
			InferTensorContents.Builder contents = InferTensorContents.newBuilder();
			String[] strings = tensor.strings();
			if (strings != null) {
				for (String string : strings) {
					contents.addBytesContents(ByteString.copyFromUtf8(string));
				}
				return contents.build();
			}
			ByteBuffer data = tensor.data();
			if (data == null) {
				return contents.build();
			}
			ByteBuffer le = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
			int base = le.position();
			for (int i = 0; i < tensor.elementCount(); i++) {
				switch (tensor.datatype()) {
					case BOOL -> contents.addBoolContents(le.get(base + i) != 0);
					case INT8 -> contents.addIntContents(le.get(base + i));
					case INT16 -> contents.addIntContents(le.getShort(base + 2 * i));
					case INT32 -> contents.addIntContents(le.getInt(base + 4 * i));
					case INT64 -> contents.addInt64Contents(le.getLong(base + 8 * i));
					case UINT8 -> contents.addUintContents(le.get(base + i) & 0xFF);
					case UINT16 -> contents.addUintContents(le.getShort(base + 2 * i) & 0xFFFF);
					case UINT32 -> contents.addUintContents(le.getInt(base + 4 * i));
					case UINT64 -> contents.addUint64Contents(le.getLong(base + 8 * i));
					case FP32 -> contents.addFp32Contents(le.getFloat(base + 4 * i));
					case FP64 -> contents.addFp64Contents(le.getDouble(base + 8 * i));
					case FP16 -> contents.addFp32Contents(Fp16Conversions.fp16ToFloat(le.getShort(base + 2 * i)));
					default -> throw new IllegalStateException(tensor.datatype() + " goes as raw contents");
				}
			}
			return contents.build();
		}

	}

}
