package io.github.onnxgpu.boot.openinference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.Result;
import com.google.protobuf.ByteString;
import inference.GRPCInferenceServiceGrpc;
import inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import inference.OpenInferenceGrpc.InferTensorContents;
import inference.OpenInferenceGrpc.ModelInferRequest;
import inference.OpenInferenceGrpc.ModelInferRequest.InferInputTensor;
import inference.OpenInferenceGrpc.ModelInferRequest.InferRequestedOutputTensor;
import inference.OpenInferenceGrpc.ModelInferResponse;
import inference.OpenInferenceGrpc.ModelMetadataRequest;
import inference.OpenInferenceGrpc.ModelMetadataResponse;
import inference.OpenInferenceGrpc.ModelReadyRequest;
import inference.OpenInferenceGrpc.ServerLiveRequest;
import inference.OpenInferenceGrpc.ServerMetadataRequest;
import inference.OpenInferenceGrpc.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.github.onnxgpu.boot.model.OnnxInference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The protocol's gRPC service over a real channel (loopback, Spring gRPC's Netty server),
 * called with the blocking stub generated from the protocol's unmodified .proto: every
 * RPC, typed and raw contents, outputs equal to a direct {@link OnnxInference} run, bad
 * input refused with INVALID_ARGUMENT, unknown models NOT_FOUND, busy models UNAVAILABLE
 * at once with the retry pushback trailer.
 */
class OpenInferenceGrpcTests extends OpenInferenceTestApplication {

	private static final Metadata.Key<String> PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms",
			Metadata.ASCII_STRING_MARSHALLER);

	@Autowired
	GrpcPort grpcPort;

	@Autowired
	OnnxInference inference;

	private ManagedChannel channel;

	private GRPCInferenceServiceBlockingStub stub;

	@BeforeEach
	void connect() {
		this.channel = ManagedChannelBuilder.forAddress("localhost", this.grpcPort.get()).usePlaintext().build();
		this.stub = GRPCInferenceServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
	}

	@AfterEach
	void disconnect() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void healthAndMetadata() {
		assertThat(this.stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
		assertThat(this.stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
		assertThat(this.stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName())
			.isEqualTo("onnx-gpu-spring-boot-starter");
		ModelMetadataResponse metadata = this.stub
			.modelMetadata(ModelMetadataRequest.newBuilder().setName("scaled").build());
		assertThat(metadata.getPlatform()).isEqualTo("onnx_onnxv1");
		assertThat(metadata.getVersionsList()).containsExactly("1");
		assertThat(metadata.getInputsList())
			.extracting((input) -> input.getName() + " " + input.getDatatype() + " " + input.getShapeList())
			.containsExactly("x FP32 [-1, 4]", "scale FP32 []");
		assertThat(metadata.toString()).doesNotContain(MODELS.toString()).doesNotContain(".onnx");
		assertThat(this.stub.modelReady(ModelReadyRequest.newBuilder().setName("scaled").build()).getReady()).isTrue();
		assertThat(this.stub.modelReady(ModelReadyRequest.newBuilder().setName("scaled").setVersion("1").build())
			.getReady()).isTrue();
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
				assertThat(ex.getStatus().getDescription()).isEqualTo("Unknown model 'nope'");
			});
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.stub
				.modelMetadata(ModelMetadataRequest.newBuilder().setName("scaled").setVersion("3").build()))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
	}

	@Test
	void typedContentsEqualDirectRun() throws Exception {
		float[][] x = { { 1, 2, 3, 4 }, { -1, 0.5f, 7, 9 } };
		ModelInferResponse response = this.stub.modelInfer(ModelInferRequest.newBuilder()
			.setModelName("scaled")
			.setId("g-1")
			.addInputs(fp32("x", List.of(2L, 4L), 1, 2, 3, 4, -1, 0.5f, 7, 9))
			.addInputs(fp32("scale", List.of(), 1.5f))
			.build());
		assertThat(response.getId()).isEqualTo("g-1");
		assertThat(response.getModelName()).isEqualTo("scaled");
		assertThat(response.getModelVersion()).isEqualTo("1");
		assertThat(response.getRawOutputContentsCount()).isZero();
		assertThat(response.getOutputs(0).getName()).isEqualTo("y");
		assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L, 4L);
		assertThat(response.getOutputs(0).getContents().getFp32ContentsList())
			.containsExactlyElementsOf(direct(x, 1.5f));
	}

	@Test
	void rawContentsInAndOut() {
		ByteBuffer x = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
		for (long value : new long[] { Long.MIN_VALUE, -1, 0, Long.MAX_VALUE }) {
			x.putLong(value);
		}
		ByteBuffer half = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
		for (short value : new short[] { 0x3C00, (short) 0xC000, 0x3800, 0x7BFF }) {
			half.putShort(value);
		}
		ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("all");
		String[][] inputs = { { "in_float", "FP32" }, { "in_float16", "FP16" }, { "in_double", "FP64" },
				{ "in_int8", "INT8" }, { "in_int16", "INT16" }, { "in_int32", "INT32" }, { "in_int64", "INT64" },
				{ "in_uint8", "UINT8" }, { "in_bool", "BOOL" } };
		int[] sizes = { 4, 2, 8, 1, 2, 4, 8, 1, 1 };
		for (int i = 0; i < inputs.length; i++) {
			request.addInputs(InferInputTensor.newBuilder()
				.setName(inputs[i][0])
				.setDatatype(inputs[i][1])
				.addShape(1)
				.addShape(4));
			byte[] bytes = switch (inputs[i][1]) {
				case "INT64" -> x.array();
				case "FP16" -> half.array();
				default -> new byte[4 * sizes[i]];
			};
			request.addRawInputContents(ByteString.copyFrom(bytes));
		}
		request.addOutputs(InferRequestedOutputTensor.newBuilder().setName("out_int64"))
			.addOutputs(InferRequestedOutputTensor.newBuilder().setName("out_float16"));
		ModelInferResponse response = this.stub.modelInfer(request.build());
		assertThat(response.getOutputsList()).extracting((output) -> output.getName() + " " + output.getDatatype())
			.containsExactly("out_int64 INT64", "out_float16 FP16");
		assertThat(response.getRawOutputContents(0).toByteArray()).isEqualTo(x.array());
		assertThat(response.getRawOutputContents(1).toByteArray()).isEqualTo(half.array());
		assertThat(response.getOutputs(0).hasContents()).isFalse();
	}

	@Test
	void stringsAsBytesContents() {
		ModelInferResponse response = this.stub.modelInfer(ModelInferRequest.newBuilder()
			.setModelName("strings")
			.addInputs(InferInputTensor.newBuilder()
				.setName("text")
				.setDatatype("BYTES")
				.addShape(2)
				.setContents(InferTensorContents.newBuilder()
					.addBytesContents(ByteString.copyFromUtf8("héllo"))
					.addBytesContents(ByteString.copyFromUtf8("wörld"))))
			.build());
		assertThat(response.getOutputs(0).getContents().getBytesContentsList())
			.extracting((bytes) -> bytes.toStringUtf8())
			.containsExactly("héllo", "wörld");
	}

	@Test
	void badRequestsAreInvalidArgumentNamingTheModelAndInput() {
		assertInvalid(
				ModelInferRequest.newBuilder()
					.setModelName("scaled")
					.addInputs(fp32("x", List.of(2L, 4L), 1, 2, 3, 4))
					.addInputs(fp32("scale", List.of(), 1)),
				"Input 'x' of model 'scaled': shape [2, 4] holds 8 elements, the request gives 4");
		assertInvalid(ModelInferRequest.newBuilder().setModelName("scaled").addInputs(fp32("scale", List.of(), 1)),
				"Model 'scaled' needs input 'x'");
		assertInvalid(ModelInferRequest.newBuilder()
			.setModelName("all")
			.addInputs(InferInputTensor.newBuilder().setName("in_float16").setDatatype("FP16").addShape(1).addShape(4)),
				"FP16 has no typed contents in the protocol: send it as raw_input_contents");
		assertInvalid(ModelInferRequest.newBuilder()
			.setModelName("scaled")
			.addInputs(fp32("x", List.of(1L, 4L), 1, 2, 3, 4))
			.addInputs(fp32("scale", List.of(), 1))
			.addRawInputContents(ByteString.copyFrom(new byte[16])), "has 1 raw_input_contents for 2 inputs");
		assertInvalid(ModelInferRequest.newBuilder()
			.setModelName("scaled")
			.addInputs(InferInputTensor.newBuilder()
				.setName("x")
				.setDatatype("BYTES")
				.addShape(1)
				.setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("a"))))
			.addInputs(fp32("scale", List.of(), 1)), "is FP32, the request gives BYTES");
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.stub.modelInfer(ModelInferRequest.newBuilder().setModelName("nope").build()))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
		// the service still serves
		assertThat(this.stub
			.modelInfer(ModelInferRequest.newBuilder()
				.setModelName("scaled")
				.addInputs(fp32("x", List.of(1L, 4L), 1, 2, 3, 4))
				.addInputs(fp32("scale", List.of(), 2))
				.build())
			.getOutputs(0)
			.getContents()
			.getFp32ContentsList()).containsExactly(2f, 4f, 6f, 8f);
	}

	@Test
	void busyModelIsUnavailableAtOnceWithPushback() throws Exception {
		ModelInferRequest request = ModelInferRequest.newBuilder()
			.setModelName("queued")
			.addInputs(fp32("x", List.of(1L, 4L), 1, 2, 3, 4))
			.addInputs(fp32("scale", List.of(), 2))
			.build();
		ExecutorService callers = Executors.newFixedThreadPool(4);
		try {
			List<Future<StatusRuntimeException>> calls = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				calls.add(callers.submit(() -> {
					long start = System.nanoTime();
					try {
						this.stub.modelInfer(request);
						return null;
					}
					catch (StatusRuntimeException ex) {
						if (ex.getStatus().getDescription().contains("queue-size")) {
							assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4000));
						}
						return ex;
					}
				}));
			}
			List<StatusRuntimeException> refusals = new ArrayList<>();
			for (Future<StatusRuntimeException> call : calls) {
				refusals.add(call.get(30, TimeUnit.SECONDS));
			}
			assertThat(refusals).allSatisfy((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
				assertThat(ex.getTrailers().get(PUSHBACK)).isNotNull();
			});
			assertThat(refusals).anySatisfy((ex) -> assertThat(ex.getStatus().getDescription())
				.contains("onnx.models.queued.batching.queue-size"));
			assertThat(refusals).anySatisfy((ex) -> {
				assertThat(ex.getStatus().getDescription()).contains("onnx.models.queued.batching.timeout");
				assertThat(ex.getTrailers().get(PUSHBACK)).isEqualTo("5000");
			});
		}
		finally {
			callers.shutdownNow();
		}
	}

	private void assertInvalid(ModelInferRequest.Builder request, String message) {
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> this.stub.modelInfer(request.build()))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).contains(message);
			});
	}

	private List<Float> direct(float[][] x, float scale) throws Exception {
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		try (OnnxTensor xs = OnnxTensor.createTensor(environment, x);
				OnnxTensor s = OnnxTensor.createTensor(environment, scale);
				Result result = this.inference.run("scaled", Map.of("x", xs, "scale", s))) {
			List<Float> values = new ArrayList<>();
			for (float[] row : (float[][]) result.get(0).getValue()) {
				for (float value : row) {
					values.add(value);
				}
			}
			return values;
		}
	}

	private static InferInputTensor fp32(String name, List<Long> shape, float... values) {
		InferTensorContents.Builder contents = InferTensorContents.newBuilder();
		for (float value : values) {
			contents.addFp32Contents(value);
		}
		return InferInputTensor.newBuilder()
			.setName(name)
			.setDatatype("FP32")
			.addAllShape(shape)
			.setContents(contents)
			.build();
	}

}
