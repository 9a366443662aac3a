package io.github.onnxgpu.boot.autoconfigure.openinference;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the Open Inference Protocol (the KServe V2 protocol), which
 * serves every configured model over REST and gRPC without a controller.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(OnnxOpenInferenceProperties.PREFIX)
public class OnnxOpenInferenceProperties {

	/**
	 * The prefix of the protocol's properties.
	 */
	public static final String PREFIX = "onnx.open-inference";

	/**
	 * The REST endpoints, on the application's web server.
	 */
	private final Rest rest = new Rest();

	/**
	 * The gRPC service, on Spring gRPC's server.
	 */
	private final Grpc grpc = new Grpc();

	public Rest getRest() {
		return this.rest;
	}

	public Grpc getGrpc() {
		return this.grpc;
	}

	/**
	 * The REST endpoints ({@code /v2/...}, Spring MVC).
	 */
	public static class Rest {

		/**
		 * Whether to serve the protocol's REST endpoints under /v2 on the application's
		 * web server (Spring MVC).
		 */
		private boolean enabled = false;

		/**
		 * Largest inference request body taken, JSON and binary tensor data together. A
		 * larger body is refused with 413 before it is read into memory. A 640x640 RGB
		 * image as FP32 is 4.7 MiB of binary data, about 13 MiB as JSON.
		 */
		private DataSize maxRequestSize = DataSize.ofMegabytes(64);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public DataSize getMaxRequestSize() {
			return this.maxRequestSize;
		}

		public void setMaxRequestSize(DataSize maxRequestSize) {
			this.maxRequestSize = maxRequestSize;
		}

	}

	/**
	 * The gRPC service ({@code inference.GRPCInferenceService}, Spring gRPC).
	 */
	public static class Grpc {

		/**
		 * Whether to serve the protocol's gRPC service (inference.GRPCInferenceService)
		 * on Spring gRPC's server, whose port is spring.grpc.server.port. Needs
		 * org.springframework.grpc:spring-grpc-server-spring-boot-starter.
		 */
		private boolean enabled = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
