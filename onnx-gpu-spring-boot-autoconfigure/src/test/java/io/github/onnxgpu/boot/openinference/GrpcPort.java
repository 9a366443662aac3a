package io.github.onnxgpu.boot.openinference;

import org.springframework.context.ApplicationListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The port Spring gRPC's server listens on ({@code spring.grpc.server.port=0} picks a
 * free one), from its started event.
 */
class GrpcPort implements ApplicationListener<GrpcServerStartedEvent> {

	private volatile int port = -1;

	@Override
	public void onApplicationEvent(GrpcServerStartedEvent event) {
		this.port = event.getPort();
	}

	int get() {
		if (this.port < 0) {
			throw new IllegalStateException("Spring gRPC's server has not started");
		}
		return this.port;
	}

}
