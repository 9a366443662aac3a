package io.github.onnxgpu.boot.openinference;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import inference.GRPCInferenceServiceGrpc;
import inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import inference.OpenInferenceGrpc.InferTensorContents;
import inference.OpenInferenceGrpc.ModelInferRequest;
import inference.OpenInferenceGrpc.ModelInferRequest.InferInputTensor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A secured application: the protocol's endpoints are ordinary Spring MVC routes and gRPC
 * services, so the application's {@code SecurityFilterChain} (the one in
 * docs/open-inference.md) refuses an unauthenticated REST infer, and its gRPC interceptor
 * an unauthenticated ModelInfer, while the health endpoints stay open to the probes.
 * Boot's security auto-configurations are off in this module's tests
 * (src/test/resources/application.properties): the application's own filter chain and
 * interceptor are all there is.
 */
@SpringBootTest(classes = OpenInferenceSecurityTests.SecuredApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "onnx.cuda.enabled=false", "onnx.open-inference.rest.enabled=true",
				"onnx.open-inference.grpc.enabled=true", "spring.grpc.server.enabled=true", "spring.grpc.server.port=0",
				"onnx.models.scaled.warmup.enabled=false" })
class OpenInferenceSecurityTests {

	private static final String REQUEST = """
			{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]},
			            {"name": "scale", "shape": [], "datatype": "FP32", "data": [2]}]}""";

	@LocalServerPort
	int port;

	@Autowired
	GrpcPort grpcPort;

	@DynamicPropertySource
	static void model(DynamicPropertyRegistry registry) throws IOException {
		Path file = Files.createTempFile("scaled", ".onnx");
		file.toFile().deleteOnExit();
		Files.write(file, TestModels.scaledByScalar());
		registry.add("onnx.models.scaled.location", () -> "file:" + file);
	}

	@Test
	void restInferNeedsAuthenticationHealthDoesNot() throws Exception {
		assertThat(post(null).statusCode()).isEqualTo(401);
		assertThat(post("wrong:password").statusCode()).isEqualTo(401);
		HttpResponse<String> authorized = post("client:secret");
		assertThat(authorized.statusCode()).isEqualTo(200);
		assertThat(authorized.body()).contains("\"data\":[2.0,4.0,6.0,8.0]");
		assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
		assertThat(get("/v2/models/scaled").statusCode()).isEqualTo(401);
	}

	@Test
	void grpcInferNeedsTheToken() throws Exception {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", this.grpcPort.get())
			.usePlaintext()
			.build();
		try {
			GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS);
			ModelInferRequest request = ModelInferRequest.newBuilder()
				.setModelName("scaled")
				.addInputs(InferInputTensor.newBuilder()
					.setName("x")
					.setDatatype("FP32")
					.addShape(1)
					.addShape(4)
					.setContents(InferTensorContents.newBuilder()
						.addFp32Contents(1)
						.addFp32Contents(2)
						.addFp32Contents(3)
						.addFp32Contents(4)))
				.addInputs(InferInputTensor.newBuilder()
					.setName("scale")
					.setDatatype("FP32")
					.setContents(InferTensorContents.newBuilder().addFp32Contents(2)))
				.build();
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> stub.modelInfer(request))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
			Metadata token = new Metadata();
			token.put(TokenInterceptor.AUTHORIZATION, "Bearer s3cret");
			assertThat(stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token))
				.modelInfer(request)
				.getOutputs(0)
				.getContents()
				.getFp32ContentsList()).containsExactly(2f, 4f, 6f, 8f);
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	private HttpResponse<String> post(String credentials) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/v2/models/scaled/infer"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(REQUEST));
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return HttpClient.newHttpClient().send(request.build(), BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					BodyHandlers.ofString());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableWebSecurity
	static class SecuredApplication {

		@Bean
		SecurityFilterChain openInferenceSecurity(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/v2/health/**")
				.permitAll()
				.requestMatchers("/v2/**")
				.authenticated()
				.anyRequest()
				.permitAll())
				.httpBasic(Customizer.withDefaults())
				// API clients send no CSRF token
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/v2/**"));
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("client").password("{noop}secret").roles("INFERENCE").build());
		}

		@Bean
		GrpcPort grpcPort() {
			return new GrpcPort();
		}

		@Bean
		@GlobalServerInterceptor
		TokenInterceptor tokenInterceptor() {
			return new TokenInterceptor();
		}

	}

	/**
	 * Refuses a gRPC call without the expected bearer token, as in
	 * docs/open-inference.md.
	 */
	static class TokenInterceptor implements ServerInterceptor {

		static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
				Metadata.ASCII_STRING_MARSHALLER);

		@Override
		public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
				ServerCallHandler<Q, R> next) {
			if (!"Bearer s3cret".equals(headers.get(AUTHORIZATION))) {
				call.close(Status.UNAUTHENTICATED.withDescription("a bearer token is needed"), new Metadata());
				return new ServerCall.Listener<>() {
				};
			}
			return next.startCall(call, headers);
		}

	}

}
