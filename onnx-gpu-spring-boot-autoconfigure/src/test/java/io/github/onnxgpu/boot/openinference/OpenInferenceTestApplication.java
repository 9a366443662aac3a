package io.github.onnxgpu.boot.openinference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.onnxgpu.testmodels.Attribute;
import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;
import io.github.onnxgpu.testmodels.TestModels;

/**
 * The application of the protocol's end-to-end tests, REST and gRPC on loopback ports,
 * shared by the test classes that extend it (one context for all of them): models of
 * every datatype ({@code all}), a scalar input ({@code scaled}), static dimensions
 * ({@code fixed}), strings ({@code strings}), a datatype the Java API cannot create
 * ({@code unsigned}), and a batched model whose batches never fill ({@code queued}: one
 * run waits its timeout, the next is refused at once).
 */
@SpringBootTest(classes = OpenInferenceTestApplication.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "onnx.cuda.enabled=false", "onnx.open-inference.rest.enabled=true",
				"onnx.open-inference.grpc.enabled=true", "spring.grpc.server.enabled=true", "spring.grpc.server.port=0",
				"onnx.open-inference.rest.max-request-size=1MB", "onnx.models.queued.batching.enabled=true",
				"onnx.models.queued.batching.max-delay=1h", "onnx.models.queued.batching.queue-size=1",
				"onnx.models.queued.batching.timeout=5s", "onnx.models.queued.warmup.shapes[0].x=1x4",
				"onnx.models.all.warmup.enabled=false", "onnx.models.scaled.warmup.enabled=false",
				"onnx.models.strings.warmup.enabled=false", "onnx.models.unsigned.warmup.enabled=false" })
abstract class OpenInferenceTestApplication {

	static final Path MODELS = models();

	@DynamicPropertySource
	static void models(DynamicPropertyRegistry registry) {
		for (String name : List.of("all", "scaled", "fixed", "strings", "unsigned", "queued", "mymodel")) {
			registry.add("onnx.models." + name + ".location", () -> "file:" + MODELS.resolve(name + ".onnx"));
		}
	}

	private static Path models() {
		try {
			Path directory = Files.createTempDirectory("open-inference-models");
			directory.toFile().deleteOnExit();
			write(directory, "all", TestModels.allTypes());
			write(directory, "scaled", TestModels.scaledByScalar());
			write(directory, "fixed", TestModels.staticConvNet());
			write(directory, "strings",
					OnnxModelBuilder.graph("strings")
						.input("text", TensorType.STRING, "N")
						.output("echo", TensorType.STRING, "N")
						.node("Identity", List.of("text"), List.of("echo"))
						.toByteArray());
			write(directory, "unsigned",
					OnnxModelBuilder.graph("unsigned")
						.input("u", TensorType.UINT32, "N")
						.output("v", TensorType.UINT32, "N")
						.node("Identity", List.of("u"), List.of("v"))
						.toByteArray());
			write(directory, "queued", TestModels.scaledByScalar());
			write(directory, "mymodel", specExampleModel());
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A model with the inputs and output of the specification's inference example
	 * (inference_rest.md), INT32 for its UINT32 input, which ONNX Runtime's Java API
	 * cannot create: {@code input0} INT32 [2, 2] and {@code input1} BOOL [3] give
	 * {@code output0} FP32 [3, 2], {@code input1[i] + sum(input0[:, j])}.
	 * @return the model
	 */
	static byte[] specExampleModel() {
		return OnnxModelBuilder.graph("mymodel")
			.input("input0", TensorType.INT32, 2, 2)
			.input("input1", TensorType.BOOL, 3)
			.output("output0", TensorType.FLOAT, 3, 2)
			.initializer("axis0", new long[] { 0 }, 1)
			.initializer("axis1", new long[] { 1 }, 1)
			.node("Cast", List.of("input0"), List.of("f0"), Attribute.intValue("to", 1))
			.node("ReduceSum", List.of("f0", "axis0"), List.of("s0"), Attribute.intValue("keepdims", 1))
			.node("Cast", List.of("input1"), List.of("f1"), Attribute.intValue("to", 1))
			.node("Unsqueeze", List.of("f1", "axis1"), List.of("u1"))
			.node("Add", List.of("u1", "s0"), List.of("output0"))
			.toByteArray();
	}

	private static void write(Path directory, String name, byte[] model) throws IOException {
		Path file = directory.resolve(name + ".onnx");
		Files.write(file, model);
		file.toFile().deleteOnExit();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		GrpcPort grpcPort() {
			return new GrpcPort();
		}

	}

}
